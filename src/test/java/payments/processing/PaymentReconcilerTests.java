package payments.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import payments.order.Order;
import payments.order.OrderItem;
import payments.order.Orders;
import payments.payment.Payment;
import payments.payment.Payments;
import quartet.QuartetApplication;

/**
 * Payments stuck in PROCESSING, as a crashed processor or a lost provider answer leaves them,
 * are settled from the provider's record, or FAILED as unresolved once the bound has passed.
 */
@SpringBootTest(classes = QuartetApplication.class)
class PaymentReconcilerTests {

    @Autowired
    PaymentReconciler reconciler;

    @Autowired
    SimulatedPaymentProvider provider;

    @Autowired
    Orders orders;

    @Autowired
    Payments payments;

    @Autowired
    JdbcClient jdbc;

    @Test
    void settlesAPaymentWhoseAnswerWasLostFromTheProvidersRecord() {
        Payment payment = stuckInProcessing(SimulatedPaymentProvider.APPROVED, Duration.ofMinutes(3));
        provider.charge(payment.id(), payment.amount(), payment.paymentMethod()); // approved, but the answer never arrived

        reconciler.reconcile(Instant.now());

        assertThat(status(payment)).isEqualTo("SUCCEEDED");
    }

    @Test
    void failsAPaymentTheProviderCannotTellAboutOnceTheBoundHasPassed() {
        Payment payment = stuckInProcessing(SimulatedPaymentProvider.UNAVAILABLE, Duration.ofMinutes(3));

        reconciler.reconcile(Instant.now());
        assertThat(status(payment)).as("still within the bound: ask again later").isEqualTo("PROCESSING");

        reconciler.reconcile(Instant.now().plus(Duration.ofMinutes(11)));
        assertThat(status(payment)).isEqualTo("FAILED");
        assertThat(jdbc.sql("select failure_reason from payments.payments where id = ?").param(payment.id()).query(String.class).single())
            .startsWith("unresolved");
    }

    @Test
    void leavesRecentlyProcessingPaymentsToTheProcessor() {
        Payment payment = stuckInProcessing(SimulatedPaymentProvider.APPROVED, Duration.ofSeconds(5));
        provider.charge(payment.id(), payment.amount(), payment.paymentMethod());

        reconciler.reconcile(Instant.now());

        assertThat(status(payment)).isEqualTo("PROCESSING");
    }

    private Payment stuckInProcessing(String paymentMethod, Duration since) {
        Order order = orders.save(Order.place("reconcile-" + UUID.randomUUID(), "EUR", List.of(new OrderItem("Widget", 1, 900)), Instant.now()));
        Payment payment = Payment.create(order.id(), order.total(), paymentMethod, UUID.randomUUID().toString(), Instant.now());
        payment.markProcessing(Instant.now());
        payment = payments.save(payment);
        jdbc.sql("update payments.payments set updated_at = ? where id = ?")
            .params(java.sql.Timestamp.from(Instant.now().minus(since)), payment.id()).update();
        return payment;
    }

    private String status(Payment payment) {
        return jdbc.sql("select status from payments.payments where id = ?").param(payment.id()).query(String.class).single();
    }
}
