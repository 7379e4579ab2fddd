package payments.notification;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import payments.OrderPaid;
import payments.PaymentFailed;
import payments.PaymentSucceeded;
import payments.RefundFailed;
import payments.RefundSucceeded;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one event on a topic tells the customer, and its identity: the topic plus the
 * event's natural id (the payment for payment.*, the order for order.paid, the refund for
 * refund.*). Each of these events happens once per id, so the pair names one event
 * however often Kafka delivers it. The externalizer sends no event id of its own (a
 * resubmitted publication would not keep one anyway), hence the natural id.
 *
 * @param customerReference the recipient when the event carries it, else null (looked up
 * by order)
 * @param owner the API client the order belongs to, whose list the notification appears
 * in
 */
record NotificationSubject(String eventType, UUID eventKey, String template, UUID orderId, @Nullable UUID paymentId,
        @Nullable UUID refundId, @Nullable String customerReference, String owner) {

    static final String PAYMENT_SUCCEEDED = "payment.succeeded";
    static final String PAYMENT_FAILED = "payment.failed";
    static final String ORDER_PAID = "order.paid";
    static final String REFUND_SUCCEEDED = "refund.succeeded";
    static final String REFUND_FAILED = "refund.failed";

    /** The externalized topics notifications come from. */
    static final List<String> TOPICS = List.of(PAYMENT_SUCCEEDED, PAYMENT_FAILED, ORDER_PAID, REFUND_SUCCEEDED,
            REFUND_FAILED);

    private record Reading<T>(Class<T> type, Function<T, NotificationSubject> subject) {

        NotificationSubject read(JsonMapper json, byte[] value) {
            return subject.apply(json.readValue(value, type));
        }
    }

    private static final Map<String, Reading<?>> READINGS = Map.of(PAYMENT_SUCCEEDED,
            new Reading<>(PaymentSucceeded.class,
                    e -> new NotificationSubject(PAYMENT_SUCCEEDED, e.paymentId(), "payment-succeeded", e.orderId(),
                            e.paymentId(), null, null, e.owner())),
            PAYMENT_FAILED,
            new Reading<>(PaymentFailed.class,
                    e -> new NotificationSubject(PAYMENT_FAILED, e.paymentId(), "payment-failed", e.orderId(),
                            e.paymentId(), null, null, e.owner())),
            ORDER_PAID,
            new Reading<>(OrderPaid.class,
                    e -> new NotificationSubject(ORDER_PAID, e.orderId(), "order-paid", e.orderId(), e.paymentId(),
                            null, e.customerReference(), e.owner())),
            REFUND_SUCCEEDED,
            new Reading<>(RefundSucceeded.class,
                    e -> new NotificationSubject(REFUND_SUCCEEDED, e.refundId(), "refund-succeeded", e.orderId(),
                            e.paymentId(), e.refundId(), null, e.owner())),
            REFUND_FAILED, new Reading<>(RefundFailed.class, e -> new NotificationSubject(REFUND_FAILED, e.refundId(),
                    "refund-failed", e.orderId(), e.paymentId(), e.refundId(), null, e.owner())));

    /**
     * Reads a record's value as the event its topic carries.
     * @throws UnreadableEvent if the value is not that event, or lacks its ids: retrying
     * cannot help
     */
    static NotificationSubject of(String topic, byte[] value, JsonMapper json) {
        Reading<?> reading = READINGS.get(topic);
        if (reading == null) {
            throw new UnreadableEvent("No notification is made from topic " + topic);
        }
        if (value == null) {
            throw new UnreadableEvent("A record on " + topic + " has no value");
        }
        NotificationSubject subject;
        try {
            subject = reading.read(json, value);
        }
        catch (JacksonException e) {
            throw new UnreadableEvent("A record on " + topic + " is not a readable event: " + e.getOriginalMessage());
        }
        if (subject.eventKey() == null || subject.orderId() == null) {
            throw new UnreadableEvent("A record on " + topic + " lacks the event's ids");
        }
        return subject;
    }

    /**
     * A record that can never become a notification: dead-lettered at once, skipped by a
     * replay.
     */
    static class UnreadableEvent extends RuntimeException {

        UnreadableEvent(String message) {
            super(message);
        }

    }
}
