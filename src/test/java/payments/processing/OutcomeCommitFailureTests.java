package payments.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import payments.order.Order;
import payments.order.OrderItem;
import payments.order.Orders;
import payments.ownership.Caller;
import payments.payment.Payment;
import payments.payment.PaymentStatus;
import payments.payment.PaymentTransition;
import payments.payment.Payments;
import quartet.QuartetApplication;

/**
 * The database connection dies while the processor commits an approved payment's outcome,
 * as it did when OutagesIT cut PostgreSQL (issue 8). A deferred constraint trigger fires
 * inside COMMIT and terminates its own backend for the first N commits that would move a
 * chosen payment to a chosen status, so the driver sees the real thing (FATAL 57P01, the
 * connection gone, nothing committed; Spring throws TransactionSystemException because
 * the rollback after the failed commit finds the connection closed) at exactly that step
 * and nowhere else. The provider has approved and remembers it; the payment must end
 * SUCCEEDED, charged once, and never pass through FAILED.
 */
@SpringBootTest(classes = QuartetApplication.class)
class OutcomeCommitFailureTests {

    private static final Duration SETTLED = Duration.ofSeconds(60);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Orders orders;

    @Autowired
    Payments payments;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    SimulatedPaymentProvider provider;

    @Autowired
    DeadLetters deadLetters;

    @Value("${quartet.payments.max-processing-attempts}")
    int attempts;

    private final List<String> sequences = new ArrayList<>();

    @BeforeEach
    void installTheFault() {
        jdbc.sql(
                "CREATE TABLE IF NOT EXISTS public.test_commit_faults (payment_id UUID, status TEXT, failures INT NOT NULL, commits REGCLASS NOT NULL, PRIMARY KEY (payment_id, status))")
            .update();
        jdbc.sql(
                """
                        CREATE OR REPLACE FUNCTION public.test_lose_commit() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                            IF EXISTS (SELECT 1 FROM public.test_commit_faults f
                                    WHERE f.payment_id = NEW.id AND f.status = NEW.status AND nextval(f.commits) <= f.failures) THEN
                                PERFORM pg_terminate_backend(pg_backend_pid());
                            END IF;
                            RETURN NULL;
                        END $$
                        """)
            .update();
        jdbc.sql("DROP TRIGGER IF EXISTS test_lose_commit ON payments.payments").update();
        jdbc.sql("""
                CREATE CONSTRAINT TRIGGER test_lose_commit AFTER UPDATE ON payments.payments
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.test_lose_commit()
                """).update();
    }

    @AfterEach
    void removeTheFault() {
        jdbc.sql("DROP TRIGGER IF EXISTS test_lose_commit ON payments.payments").update();
        jdbc.sql("DROP FUNCTION IF EXISTS public.test_lose_commit()").update();
        jdbc.sql("DROP TABLE IF EXISTS public.test_commit_faults").update();
        sequences.forEach(sequence -> jdbc.sql("DROP SEQUENCE IF EXISTS " + sequence).update());
    }

    @Test
    void retriesAnOutcomeCommitTheDatabaseLostAndTheApprovedPaymentSucceeds() {
        Payment payment = newPayment(SimulatedPaymentProvider.APPROVED);
        String commits = loseCommits(payment, PaymentStatus.SUCCEEDED, 1);

        submit(payment);

        await().atMost(SETTLED).until(() -> settled(status(payment)));
        assertThat(status(payment)).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(commitAttempts(commits)).as("one commit lost, the retry's committed").isEqualTo(2);
        assertThat(provider.callsFor(payment.id())).as("the retry asked again and got the first answer").isEqualTo(2);
        assertThat(provider.lookup(payment.id()))
            .hasValueSatisfying(result -> assertThat(result.outcome()).isEqualTo(PaymentProvider.Outcome.APPROVED));
        assertThat(statusesOnTheTimeline(payment)).containsExactly(PaymentStatus.CREATED, PaymentStatus.PROCESSING,
                PaymentStatus.SUCCEEDED);
        assertThat(deadLetters.list(new Caller("ops", true)))
            .noneMatch(deadLetter -> deadLetter.paymentId().equals(payment.id()));
    }

    @Test
    void settlesWithTheProvidersApprovalWhenEveryAttemptLostItsCommitAndTheDeadLetterHandlerRetriesUntilTheDatabaseCommits() {
        Payment payment = newPayment(SimulatedPaymentProvider.APPROVED);
        // Every attempt loses its commit, and so do the dead-letter handler's first two
        // tries.
        String commits = loseCommits(payment, PaymentStatus.SUCCEEDED, attempts + 2);

        submit(payment);

        await().atMost(SETTLED).until(() -> settled(status(payment)));
        assertThat(status(payment)).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(commitAttempts(commits)).as("each attempt, then the dead-letter handler until a commit held")
            .isEqualTo(attempts + 3);
        assertThat(provider.callsFor(payment.id()))
            .as("charged by the attempts only; the dead-letter handler asked for the outcome")
            .isEqualTo(attempts);
        assertThat(statusesOnTheTimeline(payment)).containsExactly(PaymentStatus.CREATED, PaymentStatus.PROCESSING,
                PaymentStatus.SUCCEEDED);
        assertThat(deadLetters.list(new Caller("ops", true)))
            .filteredOn(deadLetter -> deadLetter.paymentId().equals(payment.id()))
            .singleElement()
            .satisfies(deadLetter -> {
                assertThat(deadLetter.paymentStatus()).isEqualTo("SUCCEEDED");
                assertThat(deadLetter.error()).contains("database unavailable");
            });
    }

    @Test
    void processesAgainAfterTheDeadLetterWhenTheDatabaseLostEveryAttemptBeforeTheProviderWasAsked() {
        Payment payment = newPayment(SimulatedPaymentProvider.APPROVED);
        // No attempt gets its PROCESSING committed, so none reaches the provider.
        String commits = loseCommits(payment, PaymentStatus.PROCESSING, attempts);

        submit(payment);

        await().atMost(SETTLED).until(() -> settled(status(payment)));
        assertThat(status(payment)).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(commitAttempts(commits)).as("each attempt lost PROCESSING; the dead-letter handler's went through")
            .isEqualTo(attempts + 1);
        assertThat(provider.callsFor(payment.id())).as("charged once, by the dead-letter handler").isEqualTo(1);
        assertThat(statusesOnTheTimeline(payment)).containsExactly(PaymentStatus.CREATED, PaymentStatus.PROCESSING,
                PaymentStatus.SUCCEEDED);
    }

    private Payment newPayment(String paymentMethod) {
        Order order = orders.save(Order.place("demo", "commit-lost-" + UUID.randomUUID(), "EUR",
                List.of(new OrderItem("Widget", 1, 900)), Instant.now()));
        return Payment.create(order.owner(), order.id(), order.total(), paymentMethod, UUID.randomUUID().toString(),
                Instant.now());
    }

    /**
     * Arms the trigger for the payment; returns the sequence that counts its commits to
     * the status.
     */
    private String loseCommits(Payment payment, PaymentStatus status, int failures) {
        String commits = "public.test_commits_" + payment.id().toString().replace("-", "");
        jdbc.sql("CREATE SEQUENCE " + commits).update();
        sequences.add(commits);
        jdbc.sql(
                "INSERT INTO public.test_commit_faults (payment_id, status, failures, commits) VALUES (?, ?, ?, ?::regclass)")
            .params(payment.id(), status.name(), failures, commits)
            .update();
        return commits;
    }

    /** The payment and its processing request, committed together as the API does it. */
    private void submit(Payment payment) {
        transaction.executeWithoutResult(status -> {
            payments.save(payment);
            events.publishEvent(new PaymentRequested(payment.id()));
        });
    }

    private long commitAttempts(String commits) {
        return jdbc.sql("SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM " + commits)
            .query(Long.class)
            .single();
    }

    private PaymentStatus status(Payment payment) {
        return payments.findById(payment.id()).map(Payment::status).orElse(PaymentStatus.CREATED);
    }

    private List<PaymentStatus> statusesOnTheTimeline(Payment payment) {
        return payments.findById(payment.id())
            .orElseThrow()
            .transitions()
            .stream()
            .map(PaymentTransition::toStatus)
            .toList();
    }

    /**
     * One read of the status: two reads could see CREATED, then PROCESSING, and pass for
     * settled.
     */
    private static boolean settled(PaymentStatus status) {
        return status != PaymentStatus.PROCESSING && status != PaymentStatus.CREATED;
    }

}
