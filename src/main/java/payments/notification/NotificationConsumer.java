package payments.notification;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The notification sender as a Kafka consumer group of its own, {@value #GROUP}, reading
 * the externalized payment, order and refund topics (as FlowPay's Notification Service
 * does), so it has its own offsets and can be replayed ({@link NotificationReplay})
 * without the app's in-process events. Records are taken as bytes and read by topic: the
 * app's Kafka values are JSON byte arrays and one listener serves five event types.
 * <p>
 * A record whose handling failed (the database, typically) is retried through this
 * group's own retry topics ({@code <topic>.notifications-retry-<delay in ms>}) with
 * exponential backoff, then lands on {@code <topic>.notifications-dlt}; names that never
 * meet the payment processor's ({@code payment.requests.*}). A record that is not the
 * topic's event goes there at once. A send that fails is not a failed record: it is
 * recorded FAILED and retried by {@link NotificationRetries}.
 */
@Component
class NotificationConsumer {

    static final String GROUP = "payments-notifications";
    static final String RETRY_SUFFIX = ".notifications-retry";
    static final String DEAD_LETTER_SUFFIX = ".notifications-dlt";

    private static final Log log = LogFactory.getLog(NotificationConsumer.class);

    private final CustomerNotifier notifier;

    private final JsonMapper json;

    NotificationConsumer(CustomerNotifier notifier, JsonMapper json) {
        this.notifier = notifier;
        this.json = json;
    }

    // The topics are created (one partition) if missing, so a topic nothing was written
    // to yet
    // (refund.failed on a young system) is subscribed like any other.
    @RetryableTopic(attempts = "${quartet.payments.notifications.kafka-attempts:4}",
            backOff = @BackOff(delayString = "${quartet.payments.notifications.kafka-retry-initial-delay-ms:1000}",
                    multiplier = 2.0,
                    maxDelayString = "${quartet.payments.notifications.kafka-retry-max-delay-ms:30000}"),
            exclude = NotificationSubject.UnreadableEvent.class, traversingCauses = "true",
            retryTopicSuffix = RETRY_SUFFIX, dltTopicSuffix = DEAD_LETTER_SUFFIX, numPartitions = "1",
            replicationFactor = "1")
    @KafkaListener(topics = { NotificationSubject.PAYMENT_SUCCEEDED, NotificationSubject.PAYMENT_FAILED,
            NotificationSubject.ORDER_PAID, NotificationSubject.REFUND_SUCCEEDED, NotificationSubject.REFUND_FAILED },
            groupId = GROUP)
    void on(ConsumerRecord<?, byte[]> record) {
        notifier.notify(NotificationSubject.of(mainTopicOf(record.topic()), record.value(), json), false);
    }

    /**
     * One last try (the database may be back by now), then the record stays on the
     * dead-letter topic: a replay from its time recovers it. Never throws, or the record
     * would be dead-lettered again at once, and again.
     */
    @DltHandler
    void exhausted(ConsumerRecord<?, byte[]> record) {
        String topic = mainTopicOf(record.topic());
        try {
            notifier.notify(NotificationSubject.of(topic, record.value(), json), false);
        }
        catch (RuntimeException e) {
            log.error("No notification for the " + topic + " record at " + record.topic() + "-" + record.partition()
                    + "@" + record.offset() + " (" + headerOf(record, KafkaHeaders.EXCEPTION_MESSAGE) + "; now: "
                    + e.getMessage() + "). Replay from " + Instant.ofEpochMilli(record.timestamp())
                    + " once the cause is fixed.");
        }
    }

    /**
     * The main topic a record came from, whether read there or from one of this group's
     * retry or dead-letter topics.
     */
    static String mainTopicOf(String topic) {
        int dlt = topic.lastIndexOf(DEAD_LETTER_SUFFIX);
        if (dlt > 0 && topic.endsWith(DEAD_LETTER_SUFFIX)) {
            return topic.substring(0, dlt);
        }
        int retry = topic.lastIndexOf(RETRY_SUFFIX);
        return retry > 0 ? topic.substring(0, retry) : topic;
    }

    private static String headerOf(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "no recorded error" : new String(header.value(), StandardCharsets.UTF_8);
    }

}
