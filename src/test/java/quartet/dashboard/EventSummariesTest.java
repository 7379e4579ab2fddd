package quartet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class EventSummariesTest {

    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * The dashboard says why an endpoint stopped, whether the event came in process or
     * from Kafka.
     */
    @ParameterizedTest
    @CsvSource({ "EndpointDisabled", "webhooks.endpoint-disabled" })
    void summarisesADisabledEndpointWithItsReason(String channel) {
        String summary = EventSummaries.summary(channel, json.readTree("""
                {"endpointId":"8f1c2d3e-0000-4000-8000-000000000001","url":"https://shop.example/hooks",
                 "reason":"The endpoint answered 410 Gone.","disabledAt":"2026-12-02T15:00:00Z"}"""));
        assertThat(summary).isEqualTo("endpoint 8f1c2d3e disabled: The endpoint answered 410 Gone.");
    }

    /**
     * A delivery job carries the due deliveries of one endpoint; a job of the earlier
     * form names one.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"deliveryIds\":[\"11111111-0000-4000-8000-000000000001\"]}|delivery job 11111111 handed to the workers|11111111-0000-4000-8000-000000000001",
            "{\"deliveryIds\":[\"11111111-0000-4000-8000-000000000001\",\"22222222-0000-4000-8000-000000000002\"]}"
                    + "|delivery job 11111111 and 1 more of its endpoint handed to the workers"
                    + "|11111111-0000-4000-8000-000000000001,22222222-0000-4000-8000-000000000002",
            "{\"deliveryId\":\"33333333-0000-4000-8000-000000000003\"}|delivery job 33333333 handed to the workers|33333333-0000-4000-8000-000000000003" })
    void summarisesADeliveryJobAndNamesItsDeliveries(String job, String summary, String deliveryIds) {
        assertThat(EventSummaries.summary("webhooks.deliveries", json.readTree(job))).isEqualTo(summary);
        assertThat(EventSummaries.refs(json.readTree(job))).containsEntry("deliveryId", deliveryIds);
    }

}
