package webhooks.delivery;

import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * A delivery gave up after its last attempt; a copy goes to the dead-letter queue (through the
 * event publication registry, so it is not lost if the broker is down at that moment).
 *
 * @param lastError what the last attempt saw
 */
@Externalized("amqp:" + DeliveryQueues.DEAD_EXCHANGE + "::" + DeliveryQueues.DEAD_KEY)
public record DeliveryDeadLettered(UUID deliveryId, UUID messageId, UUID endpointId, int attempts, String lastError) {
}
