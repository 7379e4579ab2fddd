package payments.notification;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import payments.OrderPaid;
import payments.PaymentFailed;
import payments.RefundSucceeded;

/**
 * Tells customers what happened to their orders and payments, after commit and off the request
 * thread. Each notification is recorded once per template and subject (a UNIQUE constraint), so
 * an event delivered twice never notifies twice; the record then says whether delivery worked.
 */
@Component
class PaymentNotifications {

    private static final Log log = LogFactory.getLog(PaymentNotifications.class);
    private static final String CHANNEL = "email";

    private final JdbcClient jdbc;
    private final NotificationSender sender;
    private final Clock clock = Clock.systemUTC();

    PaymentNotifications(JdbcClient jdbc, NotificationSender sender) {
        this.jdbc = jdbc;
        this.sender = sender;
    }

    @ApplicationModuleListener(id = "payments.notify-order-paid")
    void on(OrderPaid event) {
        notify("order-paid", event.orderId(), event.paymentId());
    }

    @ApplicationModuleListener(id = "payments.notify-payment-failed")
    void on(PaymentFailed event) {
        notify("payment-failed", event.orderId(), event.paymentId());
    }

    @ApplicationModuleListener(id = "payments.notify-refund-succeeded")
    void on(RefundSucceeded event) {
        notify("refund-succeeded:" + event.refundId(), event.orderId(), event.paymentId());
    }

    private void notify(String template, UUID order, UUID payment) {
        String recipient = jdbc.sql("SELECT customer_reference FROM payments.orders WHERE id = ?").param(order)
            .query(String.class).optional().orElse("unknown");
        Optional<UUID> recorded = jdbc.sql("""
                INSERT INTO payments.notifications (id, payment_id, order_id, recipient, channel, template, status, created_at)
                VALUES (:id, :payment, :order, :recipient, :channel, :template, 'PENDING', :now)
                ON CONFLICT ON CONSTRAINT notifications_once DO NOTHING
                RETURNING id
                """)
            .param("id", UUID.randomUUID()).param("payment", payment).param("order", order).param("recipient", recipient)
            .param("channel", CHANNEL).param("template", template).param("now", Timestamp.from(clock.instant()))
            .query(UUID.class).optional();
        if (recorded.isEmpty()) {
            return; // already notified: this event was delivered before
        }
        String status;
        try {
            sender.send(new NotificationSender.Notification(recorded.get(), recipient, CHANNEL, template, order, payment));
            status = "SENT";
        }
        catch (RuntimeException e) {
            log.warn("Notification " + template + " for order " + order + " could not be delivered: " + e.getMessage());
            status = "FAILED";
        }
        jdbc.sql("UPDATE payments.notifications SET status = :status, sent_at = :now WHERE id = :id")
            .param("status", status).param("now", Timestamp.from(clock.instant())).param("id", recorded.get()).update();
    }
}
