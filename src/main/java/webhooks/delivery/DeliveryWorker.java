package webhooks.delivery;

import java.io.IOException;

import com.rabbitmq.client.Channel;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Takes delivery jobs off the work queue and acknowledges each once its attempt is recorded.
 * The database, not the queue, is the source of truth: a job whose attempt failed unexpectedly
 * is still acknowledged, and the re-publisher hands the delivery to the queue again.
 */
@Component
class DeliveryWorker {

    private static final Log log = LogFactory.getLog(DeliveryWorker.class);

    private final DeliveryAttempts attempts;

    DeliveryWorker(DeliveryAttempts attempts) {
        this.attempts = attempts;
    }

    @RabbitListener(id = "webhooks.delivery-worker", queues = DeliveryQueues.WORK_QUEUE, containerFactory = DeliveryQueues.WORKERS)
    void on(DeliveryRequested job, Channel channel, @Header(AmqpHeaders.DELIVERY_TAG) long tag) throws IOException {
        try {
            attempts.attempt(job.deliveryId());
        }
        catch (RuntimeException e) {
            log.warn("Delivery " + job.deliveryId() + " could not be attempted; the re-publisher will retry it", e);
        }
        finally {
            channel.basicAck(tag, false);
        }
    }
}
