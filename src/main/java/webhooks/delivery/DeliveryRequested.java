package webhooks.delivery;

import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * A delivery is due: the job message workers take from the work queue. Published in the
 * transaction that created the delivery, so the event publication registry hands it to the
 * AMQP broker once committed (with publisher confirms), even if the broker was down then.
 */
@Externalized("amqp:" + DeliveryQueues.WORK_EXCHANGE + "::" + DeliveryQueues.WORK_KEY)
public record DeliveryRequested(UUID deliveryId) {
}
