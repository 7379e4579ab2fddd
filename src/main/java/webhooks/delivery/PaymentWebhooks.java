package webhooks.delivery;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import payments.OrderPaid;
import payments.PaymentFailed;
import payments.PaymentSucceeded;
import payments.RefundFailed;
import payments.RefundSucceeded;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns FlowPay's events into webhook messages for subscribed merchants. Runs from the
 * event publication registry, so an event is turned into a message even across a crash;
 * the business id is the idempotency key, so an event delivered twice still makes one
 * message. Each message belongs to the event's owner (the client whose order it is), so
 * it reaches that client's endpoints only, and keeps the payment it is about, for the
 * payment's timeline ({@link PaymentDeliveryTimeline}).
 */
@Component
class PaymentWebhooks {

    private final MessageIngestion ingestion;

    private final JsonMapper json;

    PaymentWebhooks(MessageIngestion ingestion, JsonMapper json) {
        this.ingestion = ingestion;
        this.json = json;
    }

    @ApplicationModuleListener(id = "webhooks.payment-succeeded")
    void on(PaymentSucceeded event) {
        ingestion.accept(event.owner(), "payment.succeeded", json.writeValueAsString(event),
                event.paymentId().toString(), event.paymentId());
    }

    @ApplicationModuleListener(id = "webhooks.payment-failed")
    void on(PaymentFailed event) {
        ingestion.accept(event.owner(), "payment.failed", json.writeValueAsString(event), event.paymentId().toString(),
                event.paymentId());
    }

    @ApplicationModuleListener(id = "webhooks.refund-succeeded")
    void on(RefundSucceeded event) {
        ingestion.accept(event.owner(), "refund.succeeded", json.writeValueAsString(event), event.refundId().toString(),
                event.paymentId());
    }

    @ApplicationModuleListener(id = "webhooks.refund-failed")
    void on(RefundFailed event) {
        ingestion.accept(event.owner(), "refund.failed", json.writeValueAsString(event), event.refundId().toString(),
                event.paymentId());
    }

    @ApplicationModuleListener(id = "webhooks.order-paid")
    void on(OrderPaid event) {
        ingestion.accept(event.owner(), "order.paid", json.writeValueAsString(event), event.orderId().toString(),
                event.paymentId());
    }

}
