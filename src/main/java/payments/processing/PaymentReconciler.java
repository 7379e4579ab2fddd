package payments.processing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import payments.config.PaymentsSettings;

/**
 * Recovers payments that processing left open.
 * <ul>
 * <li>PROCESSING (a processor crashed, or the provider's answer was lost): after
 * {@code processing-timeout} it asks the provider for the outcome and settles with it; if
 * the provider still cannot tell after {@code unresolved-after}, the payment FAILS as
 * unresolved. So no payment stays PROCESSING longer than unresolved-after plus one
 * reconciliation interval.</li>
 * <li>CREATED for longer than {@code created-timeout} (its processing request was lost,
 * say with a Kafka log, or is not being consumed): its request is issued again through
 * the outbox, so it takes the processor's usual path with its retry topics, and again
 * after each further created-timeout while the payment stays CREATED. Safe with several
 * instances (a claim row lets one of them issue it) and with the first request arriving
 * late: processing is idempotent per payment and the provider answers a repeated charge
 * with its first answer.</li>
 * <li>A refund PENDING for longer than created-timeout: its request is issued again the
 * same way (refund processing leaves a settled refund alone, and the provider answers a
 * repeated refund with its first answer), so no refund keeps its amount reserved for
 * good.</li>
 * </ul>
 */
@Component
class PaymentReconciler implements SchedulingConfigurer {

    static final String UNRESOLVED = "unresolved: the provider could not tell the outcome";

    private static final Log log = LogFactory.getLog(PaymentReconciler.class);

    private record Stuck(UUID id, Instant since) {
    }

    private final JdbcClient jdbc;

    private final PaymentProvider provider;

    private final PaymentProcessing processing;

    private final PaymentsSettings settings;

    private final ApplicationEventPublisher events;

    private final TransactionTemplate transaction;

    private final Clock clock = Clock.systemUTC();

    PaymentReconciler(JdbcClient jdbc, PaymentProvider provider, PaymentProcessing processing,
            PaymentsSettings settings, ApplicationEventPublisher events, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.provider = provider;
        this.processing = processing;
        this.settings = settings;
        this.events = events;
        this.transaction = transaction;
    }

    /** Every {@code reconciliation-interval}, the first a whole interval after start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::reconcileNow, settings.reconciliationInterval(),
                settings.reconciliationInterval()));
    }

    void reconcileNow() {
        reconcile(clock.instant());
        reissueLostRequests(clock.instant());
        reissueLostRefunds(clock.instant());
    }

    /**
     * @return how many stuck payments were settled
     */
    int reconcile(Instant now) {
        List<Stuck> stuck = jdbc.sql("""
                SELECT id, updated_at FROM payments.payments
                WHERE status = 'PROCESSING' AND updated_at < :cutoff ORDER BY updated_at LIMIT 100
                """)
            .param("cutoff", java.sql.Timestamp.from(now.minus(settings.processingTimeout())))
            .query((rs, row) -> new Stuck(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
            .list();
        int settled = 0;
        for (Stuck payment : stuck) {
            try {
                var answer = provider.lookup(payment.id());
                if (answer.isPresent()) {
                    processing.settle(payment.id(), answer.get());
                    settled++;
                }
                else if (payment.since().isBefore(now.minus(settings.unresolvedAfter()))) {
                    processing.giveUp(payment.id(), UNRESOLVED);
                    settled++;
                }
            }
            catch (RuntimeException e) {
                // Another instance settled it meanwhile (optimistic lock), or the
                // provider is down: next run.
                log.debug("Could not reconcile payment " + payment.id() + ": " + e.getMessage());
            }
        }
        if (settled > 0) {
            log.info("Reconciled " + settled + " payment(s) stuck in PROCESSING");
        }
        return settled;
    }

    /**
     * Issues the processing request again for each payment CREATED longer than
     * created-timeout whose request was not issued again within created-timeout.
     * @return how many requests this instance issued
     */
    int reissueLostRequests(Instant now) {
        java.sql.Timestamp cutoff = java.sql.Timestamp.from(now.minus(settings.createdTimeout()));
        List<UUID> waiting = jdbc
            .sql("""
                    SELECT p.id FROM payments.payments p LEFT JOIN payments.processing_reissues r ON r.payment_id = p.id
                    WHERE p.status = 'CREATED' AND p.updated_at < :cutoff AND (r.reissued_at IS NULL OR r.reissued_at < :cutoff)
                    ORDER BY p.updated_at LIMIT 100
                    """)
            .param("cutoff", cutoff)
            .query(UUID.class)
            .list();
        int reissued = eachInItsTransaction(waiting, payment -> reissue(payment, now, cutoff));
        if (reissued > 0) {
            log.info("Issued the processing request again for " + reissued + " payment(s) still CREATED after "
                    + settings.createdTimeout());
        }
        return reissued;
    }

    /**
     * Claims and issues each one in a transaction of its own. One that fails (the
     * database went away, the row vanished) is left to the next run.
     * @return how many were issued
     */
    private <T> int eachInItsTransaction(List<T> waiting, java.util.function.Predicate<T> claimAndIssue) {
        int issued = 0;
        for (T item : waiting) {
            try {
                if (Boolean.TRUE.equals(transaction.execute(status -> claimAndIssue.test(item)))) {
                    issued++;
                }
            }
            catch (RuntimeException e) {
                log.debug("Could not issue the request of " + item + " again: " + e.getMessage());
            }
        }
        return issued;
    }

    /**
     * Claims the payment (an instance racing us waits on the row, then finds it claimed)
     * and publishes with the claim.
     */
    private boolean reissue(UUID payment, Instant now, java.sql.Timestamp cutoff) {
        int claimed = jdbc
            .sql("""
                    INSERT INTO payments.processing_reissues AS r (payment_id, reissued_at, reissues) VALUES (:id, :now, 1)
                    ON CONFLICT (payment_id) DO UPDATE SET reissued_at = :now, reissues = r.reissues + 1 WHERE r.reissued_at < :cutoff
                    """)
            .param("id", payment)
            .param("now", java.sql.Timestamp.from(now))
            .param("cutoff", cutoff)
            .update();
        boolean stillCreated = claimed == 1
                && jdbc.sql("SELECT status = 'CREATED' FROM payments.payments WHERE id = :id")
                    .param("id", payment)
                    .query(Boolean.class)
                    .optional()
                    .orElse(false);
        if (stillCreated) {
            events.publishEvent(new PaymentRequested(payment));
        }
        return stillCreated;
    }

    /**
     * Issues the refund request again for each refund PENDING longer than created-timeout
     * whose request was not issued again within created-timeout.
     * @return how many requests this instance issued
     */
    int reissueLostRefunds(Instant now) {
        java.sql.Timestamp cutoff = java.sql.Timestamp.from(now.minus(settings.createdTimeout()));
        List<RefundRequested> waiting = jdbc
            .sql("""
                    SELECT f.id, f.payment_id FROM payments.refunds f LEFT JOIN payments.refund_reissues r ON r.refund_id = f.id
                    WHERE f.status = 'PENDING' AND f.at < :cutoff AND (r.reissued_at IS NULL OR r.reissued_at < :cutoff)
                    ORDER BY f.at LIMIT 100
                    """)
            .param("cutoff", cutoff)
            .query((rs, row) -> new RefundRequested(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
            .list();
        int reissued = eachInItsTransaction(waiting, refund -> reissue(refund, now, cutoff));
        if (reissued > 0) {
            log.info("Issued the request again for " + reissued + " refund(s) still PENDING after "
                    + settings.createdTimeout());
        }
        return reissued;
    }

    private boolean reissue(RefundRequested refund, Instant now, java.sql.Timestamp cutoff) {
        int claimed = jdbc
            .sql("""
                    INSERT INTO payments.refund_reissues AS r (refund_id, reissued_at, reissues) VALUES (:id, :now, 1)
                    ON CONFLICT (refund_id) DO UPDATE SET reissued_at = :now, reissues = r.reissues + 1 WHERE r.reissued_at < :cutoff
                    """)
            .param("id", refund.refundId())
            .param("now", java.sql.Timestamp.from(now))
            .param("cutoff", cutoff)
            .update();
        boolean stillPending = claimed == 1
                && jdbc.sql("SELECT status = 'PENDING' FROM payments.refunds WHERE id = :id")
                    .param("id", refund.refundId())
                    .query(Boolean.class)
                    .optional()
                    .orElse(false);
        if (stillPending) {
            events.publishEvent(refund);
        }
        return stillPending;
    }

}
