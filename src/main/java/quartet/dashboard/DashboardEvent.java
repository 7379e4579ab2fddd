package quartet.dashboard;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One line of the dashboard's live tail.
 *
 * @param source where it was seen: app (an in-process event), kafka, amqp or receiver
 * @param channel the event type, Kafka topic or AMQP exchange
 * @param key the Kafka record key or AMQP routing key, if any
 * @param summary one short human sentence
 * @param refs identifiers the page uses to refresh what the event is about (paymentId,
 * orderId, code, deliveryId, ...)
 */
record DashboardEvent(String source, String channel, @Nullable String key, String summary, Instant at,
        Map<String, String> refs) {
}
