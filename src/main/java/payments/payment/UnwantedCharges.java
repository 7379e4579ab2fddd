package payments.payment;

import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import payments.PaymentSucceeded;
import payments.money.Money;
import payments.order.Order;
import payments.order.Orders;

/**
 * Gives back money no order wants. A cancel refuses an order with a live payment and a
 * second payment for an order is refused by PostgreSQL, so this is the safety net: a
 * success that still reaches a cancelled order (or one paid by another payment, as
 * databases from before the one-live-payment rule may hold) is refunded in full, with the
 * reason on the payment's timeline. Idempotent: a payment that already has a refund is
 * left alone.
 */
@Component
class UnwantedCharges {

    private static final Log log = LogFactory.getLog(UnwantedCharges.class);

    private final Orders orders;

    private final Payments payments;

    private final Refunds refunds;

    private final JdbcClient jdbc;

    private final TransactionTemplate transaction;

    UnwantedCharges(Orders orders, Payments payments, Refunds refunds, JdbcClient jdbc,
            TransactionTemplate transaction) {
        this.orders = orders;
        this.payments = payments;
        this.refunds = refunds;
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    @ApplicationModuleListener(id = "payments.refund-unwanted-charge")
    void on(PaymentSucceeded succeeded) {
        Order order = orders.findById(succeeded.orderId()).orElse(null);
        if (order == null || order.wants(succeeded.paymentId())) {
            return;
        }
        String reason = switch (order.status()) {
            case CANCELLED -> "automatic: order " + order.id() + " was cancelled before this payment succeeded";
            default -> "automatic: order " + order.id() + " was already paid by payment " + order.paidBy();
        };
        refundInFull(succeeded.paymentId(), reason);
    }

    /**
     * Payments marked as duplicates by the one-live-payment migration, captured and never
     * refunded.
     */
    @EventListener(ApplicationReadyEvent.class)
    void refundDuplicatesFromBeforeTheRule() {
        List<UUID[]> duplicates = jdbc.sql("""
                SELECT id, duplicate_of FROM payments.payments
                WHERE duplicate_of IS NOT NULL AND status = 'SUCCEEDED' AND pending_refund_minor = 0
                """).query((rs, row) -> new UUID[] { rs.getObject(1, UUID.class), rs.getObject(2, UUID.class) }).list();
        for (UUID[] duplicate : duplicates) {
            try {
                transaction.executeWithoutResult(status -> refundInFull(duplicate[0],
                        "automatic: a second charge of the order, whose payment is " + duplicate[1]));
            }
            catch (RuntimeException e) {
                log.warn("Could not refund duplicate payment " + duplicate[0] + " yet: " + e.getMessage());
            }
        }
    }

    private void refundInFull(UUID paymentId, String reason) {
        Payment payment = payments.findById(paymentId).orElse(null);
        if (payment == null || !payment.refunds().isEmpty() || payment.refundableMinor() == 0) {
            return;
        }
        log.warn("Refunding payment " + paymentId + ": " + reason);
        refunds.request(payment, Money.of(payment.refundableMinor(), payment.amount().currencyCode()), reason);
    }

}
