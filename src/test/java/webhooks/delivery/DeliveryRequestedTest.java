package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The job on the work queue, as JSON: several deliveries per job now, and jobs of the
 * earlier form still read.
 */
class DeliveryRequestedTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void carriesItsDeliveriesThroughJsonInOrder() {
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());

        String written = json.writeValueAsString(new DeliveryRequested(ids));

        assertThat(json.readValue(written, DeliveryRequested.class).deliveryIds()).containsExactlyElementsOf(ids);
    }

    @Test
    void readsAJobOfTheEarlierFormWithOneDeliveryId() {
        UUID id = UUID.randomUUID();

        DeliveryRequested job = json.readValue("{\"deliveryId\":\"" + id + "\"}", DeliveryRequested.class);

        assertThat(job.deliveryIds()).containsExactly(id);
    }

}
