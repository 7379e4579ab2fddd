package webhooks.delivery;

import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonFormat;

/**
 * Deliveries are due: the job message workers take from the work queue. Not a domain
 * event: the delivery rows are their own outbox, and {@link DeliveryRepublisher}
 * publishes this job (with publisher confirms) once the rows are committed, and again if
 * it seems lost. One job carries due deliveries of one endpoint only, so one worker
 * attempts them in turn and a slow endpoint holds up nobody else's; a job of the earlier
 * form, with one {@code deliveryId}, still reads.
 */
record DeliveryRequested(@JsonAlias("deliveryId") @JsonFormat(
        with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<UUID> deliveryIds) {

    DeliveryRequested {
        deliveryIds = List.copyOf(deliveryIds);
    }

}
