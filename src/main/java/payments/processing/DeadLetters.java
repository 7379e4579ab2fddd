package payments.processing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import payments.order.Order;
import payments.order.Orders;
import payments.payment.Payment;
import payments.ownership.Caller;
import payments.payment.Payments;

/**
 * Payments whose processing request reached the dead-letter topic: listed for operators,
 * and requeued one at a time on purpose (the payment goes back to PROCESSING and its
 * request to the main topic, through the outbox). A client sees and requeues its own
 * payments' dead letters, an admin every one.
 */
@Component
public class DeadLetters {

    /** One dead-lettered payment. */
    public record DeadLetter(UUID paymentId, UUID orderId, String topic, String error, Instant deadAt,
            Instant requeuedAt, String paymentStatus) {
    }

    private final JdbcClient jdbc;

    private final Payments payments;

    private final Orders orders;

    private final ApplicationEventPublisher events;

    private final TransactionTemplate transaction;

    private final Clock clock = Clock.systemUTC();

    DeadLetters(JdbcClient jdbc, Payments payments, Orders orders, ApplicationEventPublisher events,
            TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.orders = orders;
        this.events = events;
        this.transaction = transaction;
    }

    void record(UUID payment, String topic, String error) {
        jdbc.sql(
                """
                        INSERT INTO payments.dead_letters (payment_id, topic, error, dead_at) VALUES (:payment, :topic, :error, :now)
                        ON CONFLICT (payment_id) DO UPDATE SET topic = :topic, error = :error, dead_at = :now, requeued_at = NULL
                        """)
            .param("payment", payment)
            .param("topic", topic)
            .param("error", error)
            .param("now", java.sql.Timestamp.from(clock.instant()))
            .update();
    }

    public List<DeadLetter> list(Caller caller) {
        return jdbc.sql("""
                SELECT d.payment_id, p.order_id, d.topic, d.error, d.dead_at, d.requeued_at, p.status
                FROM payments.dead_letters d JOIN payments.payments p ON p.id = d.payment_id
                WHERE (:admin OR p.owner = :client)
                ORDER BY d.dead_at DESC LIMIT 200
                """)
            .params(caller.ownerParams())
            .query((rs, row) -> new DeadLetter(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                    rs.getString(3), rs.getString(4), rs.getTimestamp(5).toInstant(),
                    rs.getTimestamp(6) == null ? null : rs.getTimestamp(6).toInstant(), rs.getString(7)))
            .list();
    }

    /**
     * Makes the payment live again, so it takes its order like a new payment would: the
     * order must still be CREATED without another live payment, and is saved under its
     * optimistic lock.
     * @throws java.util.NoSuchElementException for an unknown payment, or another
     * client's
     * @throws IllegalStateException unless the payment failed because its retries ran out
     * and its order can still be paid
     */
    public void requeue(UUID paymentId, Caller caller) {
        transaction.executeWithoutResult(status -> {
            Payment payment = payments.findVisible(paymentId, caller)
                .orElseThrow(() -> new java.util.NoSuchElementException("No payment " + paymentId));
            Order order = orders.findById(payment.orderId()).orElseThrow();
            orders.livePaymentOf(order.id()).ifPresent(live -> {
                throw new IllegalStateException("Order " + order.id() + " already has payment " + live + "; "
                        + paymentId + " cannot be requeued");
            });
            payment.requeueAfterDeadLetter(PaymentProcessing.RETRIES_EXHAUSTED, clock.instant());
            order.acceptPayment(clock.instant());
            orders.save(order);
            payments.save(payment);
            jdbc.sql("UPDATE payments.dead_letters SET requeued_at = :now WHERE payment_id = :payment")
                .param("now", java.sql.Timestamp.from(clock.instant()))
                .param("payment", paymentId)
                .update();
            events.publishEvent(new PaymentRequested(paymentId));
        });
    }

}
