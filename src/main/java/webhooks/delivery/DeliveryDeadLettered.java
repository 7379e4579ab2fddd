package webhooks.delivery;

import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * A delivery gave up after its last attempt and is FAILED, kept in PostgreSQL for a
 * redrive. The event goes to the Kafka topic {@value #TOPIC}, keyed by endpoint, through
 * the event publication registry (so it is not lost if the broker is down at that
 * moment), for whoever watches dead letters; the topic's retention bounds it, consumed or
 * not.
 *
 * @param lastError what the last attempt saw
 */
@Externalized(DeliveryDeadLettered.TOPIC + "::#{#this.endpointId()}")
public record DeliveryDeadLettered(UUID deliveryId, UUID messageId, UUID endpointId, int attempts, String lastError) {

    static final String TOPIC = "webhooks.delivery-dead-lettered";

}
