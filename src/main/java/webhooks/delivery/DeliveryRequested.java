package webhooks.delivery;

import java.util.UUID;

/**
 * A delivery is due: the job message workers take from the work queue. Not a domain event: the
 * delivery row is its own outbox, and {@link DeliveryRepublisher} publishes this job (with
 * publisher confirms) once the row is committed, and again if it seems lost.
 */
record DeliveryRequested(UUID deliveryId) {
}
