package payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PaymentTimelineEntryTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void leavesOutNullDetailsAndKeepsTheOrderGiven() {
        var entry = new PaymentTimelineEntry(Instant.EPOCH, "broker", "sent",
                PaymentTimelineEntry.details("topic", "payment.succeeded", "key", null, "partition", 0, "offset", 7L));

        assertThat(entry.details()).containsExactly(Map.entry("topic", "payment.succeeded"), Map.entry("partition", 0),
                Map.entry("offset", 7L));
        assertThat(json.writeValueAsString(entry))
            .contains("\"details\":{\"topic\":\"payment.succeeded\",\"partition\":0,\"offset\":7}");
    }

    @Test
    void writesNoDetailsWhenThereAreNone() {
        assertThat(json.writeValueAsString(new PaymentTimelineEntry(Instant.EPOCH, "request", "requested")))
            .doesNotContain("details");
    }

    @Test
    void refusesDetailsThatAreNotPairs() {
        assertThatThrownBy(() -> PaymentTimelineEntry.details("topic")).isInstanceOf(IllegalArgumentException.class);
    }

}
