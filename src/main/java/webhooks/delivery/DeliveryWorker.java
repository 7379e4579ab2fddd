package webhooks.delivery;

import java.io.IOException;
import java.util.Optional;
import java.util.UUID;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Takes delivery jobs off the work queue, attempts their deliveries (all of one endpoint)
 * in turn and acknowledges the job once their attempts are recorded. The database, not
 * the queue, is the source of truth: a job whose attempt failed unexpectedly is still
 * acknowledged, and the re-publisher hands the delivery to the queue again. A worker
 * whose attempt freed a slot at its endpoint goes on with the delivery waiting there
 * longest.
 */
@Component
class DeliveryWorker {

    private static final Log log = LogFactory.getLog(DeliveryWorker.class);

    /**
     * Attempts one worker makes on slots it freed while on one job: a bound, so a long
     * line at one endpoint does not keep a worker from the queue (or from stopping) for
     * ever.
     */
    static final int MAX_HAND_OFFS = 16;

    private final DeliveryAttempts attempts;

    DeliveryWorker(DeliveryAttempts attempts) {
        this.attempts = attempts;
    }

    @RabbitListener(id = "webhooks.delivery-worker", queues = DeliveryQueues.WORK_QUEUE,
            containerFactory = DeliveryQueues.WORKERS)
    void on(DeliveryRequested job, Channel channel, @Header(AmqpHeaders.DELIVERY_TAG) long tag) throws IOException {
        int handOffs = 0;
        try {
            for (UUID delivery : job.deliveryIds()) {
                Optional<UUID> next = attemptSafely(delivery);
                // The slot the attempt freed goes to the delivery waiting longest for
                // one, without a trip through the queue; one the bound leaves out is due
                // already, and the re-publisher queues it.
                for (; next.isPresent() && handOffs < MAX_HAND_OFFS; handOffs++) {
                    next = attemptSafely(next.get());
                }
            }
        }
        finally {
            channel.basicAck(tag, false);
        }
    }

    private Optional<UUID> attemptSafely(UUID deliveryId) {
        try {
            return attempts.attempt(deliveryId);
        }
        catch (RuntimeException e) {
            log.warn("Delivery " + deliveryId + " could not be attempted; the re-publisher will retry it", e);
            return Optional.empty();
        }
    }

}
