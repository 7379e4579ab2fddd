package payments.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import payments.order.Order;
import payments.order.OrderItem;
import payments.order.Orders;
import payments.payment.Payment;
import payments.payment.Payments;
import quartet.QuartetApplication;

/**
 * Payments stuck in PROCESSING, as a crashed processor or a lost provider answer leaves
 * them, are settled from the provider's record, or FAILED as unresolved once the bound
 * has passed. Payments stuck in CREATED, as a lost processing request leaves them, get
 * their request again after created-timeout, once whatever the number of reconcilers, and
 * are charged once even when the first request turns up after all.
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

    @Autowired
    PaymentProcessing processing;

    @Autowired
    payments.config.PaymentsSettings settings;

    @Test
    void settlesAPaymentWhoseAnswerWasLostFromTheProvidersRecord() {
        Payment payment = stuckInProcessing(SimulatedPaymentProvider.APPROVED, Duration.ofMinutes(3));
        // approved, but the answer never arrived
        provider.charge(payment.id(), payment.amount(), payment.paymentMethod());

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
        assertThat(jdbc.sql("select failure_reason from payments.payments where id = ?")
            .param(payment.id())
            .query(String.class)
            .single()).startsWith("unresolved");
    }

    @Test
    void leavesRecentlyProcessingPaymentsToTheProcessor() {
        Payment payment = stuckInProcessing(SimulatedPaymentProvider.APPROVED, Duration.ofSeconds(5));
        provider.charge(payment.id(), payment.amount(), payment.paymentMethod());

        reconciler.reconcile(Instant.now());

        assertThat(status(payment)).isEqualTo("PROCESSING");
    }

    @Test
    void issuesTheProcessingRequestAgainForAPaymentStillCreatedAfterTheTimeoutAndItIsProcessed() {
        Payment payment = createdWithoutARequest(SimulatedPaymentProvider.FLAKY,
                settings.createdTimeout().plusSeconds(5));

        reconciler.reissueLostRequests(Instant.now());

        // Through Kafka and its retry topics: the flaky card's two transient failures are
        // retried.
        await().atMost(Duration.ofSeconds(30)).until(() -> status(payment).equals("SUCCEEDED"));
        assertThat(provider.callsFor(payment.id())).isEqualTo(3);
        assertThat(requestsPublishedFor(payment)).isEqualTo(1);
    }

    @Test
    void leavesAPaymentCreatedWithinTheTimeoutToItsOwnRequest() {
        Payment payment = createdWithoutARequest(SimulatedPaymentProvider.APPROVED,
                settings.createdTimeout().minusSeconds(10));

        reconciler.reissueLostRequests(Instant.now());

        assertThat(requestsPublishedFor(payment)).isZero();
        assertThat(status(payment)).isEqualTo("CREATED");
    }

    @Test
    void issuesTheRequestOnceWhenTwoReconcilersRunAtOnceAndNotAgainOnceSettled() {
        // Declined by the provider as unknown: a terminal answer, so the payment is done
        // after one request.
        Payment payment = createdWithoutARequest("pm_card_from_nowhere", settings.createdTimeout().plusSeconds(5));
        CountDownLatch go = new CountDownLatch(1);
        Instant now = Instant.now();
        List<CompletableFuture<Integer>> reconcilers = List.of(
                CompletableFuture.supplyAsync(() -> awaitThen(go, () -> reconciler.reissueLostRequests(now))),
                CompletableFuture.supplyAsync(() -> awaitThen(go, () -> reconciler.reissueLostRequests(now))));
        go.countDown();
        reconcilers.forEach(CompletableFuture::join);

        assertThat(requestsPublishedFor(payment)).as("one request, whichever reconciler claimed it").isEqualTo(1);
        assertThat(jdbc.sql("select reissues from payments.processing_reissues where payment_id = ?")
            .param(payment.id())
            .query(Integer.class)
            .single()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(payment).equals("FAILED"));

        reconciler.reissueLostRequests(now.plus(settings.createdTimeout()).plusSeconds(1));
        assertThat(requestsPublishedFor(payment)).as("settled meanwhile: nothing to issue").isEqualTo(1);
    }

    @Test
    void chargesOnceWhenTheFirstRequestArrivesWhileTheReissuedOneIsProcessed() {
        Payment payment = createdWithoutARequest(SimulatedPaymentProvider.APPROVED,
                settings.createdTimeout().plusSeconds(5));

        reconciler.reissueLostRequests(Instant.now());
        try {
            // the first request, late, racing the reissued one on the processor
            processing.process(payment.id());
        }
        catch (OptimisticLockingFailureException e) {
            // the reissued request moved it first: the late one lost the race for the
            // same row
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> status(payment).equals("SUCCEEDED"));
        assertThat(provider.lookup(payment.id()))
            .hasValueSatisfying(answer -> assertThat(answer.outcome()).isEqualTo(PaymentProvider.Outcome.APPROVED));
        assertThat(
                jdbc.sql("select count(*) from payments.simulated_provider_requests where kind = 'CHARGE' and id = ?")
                    .param(payment.id())
                    .query(Integer.class)
                    .single())
            .as("one charge on the provider's record")
            .isEqualTo(1);
        assertThat(jdbc
            .sql("select count(*) from payments.payment_transitions where payment_id = ? and to_status = 'SUCCEEDED'")
            .param(payment.id())
            .query(Integer.class)
            .single()).as("settled once").isEqualTo(1);
    }

    @Test
    void issuesTheRequestAgainForARefundStillPendingAfterTheTimeoutAndItIsSettledOnce() {
        Payment payment = stuckInProcessing(SimulatedPaymentProvider.APPROVED, Duration.ZERO);
        // the provider refunds only what it captured
        provider.charge(payment.id(), payment.amount(), payment.paymentMethod());
        payment.markSucceeded(Instant.now());
        payment = payments.save(payment);
        // A refund as a lost request leaves it: PENDING, its amount reserved, nothing in
        // Kafka for it.
        UUID refund = payment.requestRefund(payment.amount(), "lost request", Instant.now()).id();
        payments.save(payment);
        jdbc.sql("update payments.refunds set at = ? where id = ?")
            .params(java.sql.Timestamp.from(Instant.now().minus(settings.createdTimeout()).minusSeconds(5)), refund)
            .update();
        Instant now = Instant.now();
        assertThat(reconciler.reissueLostRefunds(now.minus(settings.createdTimeout())))
            .as("not yet past created-timeout")
            .isZero();

        assertThat(reconciler.reissueLostRefunds(now)).isEqualTo(1);
        assertThat(reconciler.reissueLostRefunds(now)).as("claimed: not again within created-timeout").isZero();

        await().atMost(Duration.ofSeconds(30)).until(() -> refundStatus(refund).equals("SUCCEEDED"));
        assertThat(status(payment)).isEqualTo("REFUNDED");
        assertThat(jdbc.sql("select calls from payments.simulated_provider_requests where kind = 'REFUND' and id = ?")
            .param(refund)
            .query(Integer.class)
            .single()).as("refunded once by the provider").isEqualTo(1);
        assertThat(reconciler.reissueLostRefunds(now.plus(settings.createdTimeout()).plusSeconds(1)))
            .as("settled: never again")
            .isZero();
    }

    private String refundStatus(UUID refund) {
        return jdbc.sql("select status from payments.refunds where id = ?").param(refund).query(String.class).single();
    }

    private static <T> T awaitThen(CountDownLatch go, java.util.function.Supplier<T> action) {
        try {
            go.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return action.get();
    }

    /**
     * A payment as a lost request leaves it: CREATED since {@code since} ago, with
     * nothing in Kafka for it.
     */
    private Payment createdWithoutARequest(String paymentMethod, Duration since) {
        Order order = orders.save(Order.place("demo", "reconcile-" + UUID.randomUUID(), "EUR",
                List.of(new OrderItem("Widget", 1, 900)), Instant.now()));
        Payment payment = payments.save(Payment.create(order.owner(), order.id(), order.total(), paymentMethod,
                UUID.randomUUID().toString(), Instant.now()));
        jdbc.sql("update payments.payments set created_at = ?, updated_at = ? where id = ?")
            .params(java.sql.Timestamp.from(Instant.now().minus(since)),
                    java.sql.Timestamp.from(Instant.now().minus(since)), payment.id())
            .update();
        return payment;
    }

    /**
     * Processing requests for the payment that went through the outbox, completed or not.
     */
    private int requestsPublishedFor(Payment payment) {
        return jdbc
            .sql("""
                    select (select count(*) from event_publication where event_type like '%PaymentRequested' and serialized_event like :id)
                         + (select count(*) from event_publication_archive where event_type like '%PaymentRequested' and serialized_event like :id)
                    """)
            .param("id", "%" + payment.id() + "%")
            .query(Integer.class)
            .single();
    }

    private Payment stuckInProcessing(String paymentMethod, Duration since) {
        Order order = orders.save(Order.place("demo", "reconcile-" + UUID.randomUUID(), "EUR",
                List.of(new OrderItem("Widget", 1, 900)), Instant.now()));
        Payment payment = Payment.create(order.owner(), order.id(), order.total(), paymentMethod,
                UUID.randomUUID().toString(), Instant.now());
        payment.markProcessing(Instant.now());
        payment = payments.save(payment);
        jdbc.sql("update payments.payments set updated_at = ? where id = ?")
            .params(java.sql.Timestamp.from(Instant.now().minus(since)), payment.id())
            .update();
        return payment;
    }

    private String status(Payment payment) {
        return jdbc.sql("select status from payments.payments where id = ?")
            .param(payment.id())
            .query(String.class)
            .single();
    }

}
