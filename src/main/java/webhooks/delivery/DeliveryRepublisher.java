package webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import webhooks.WebhooksSettings;

/**
 * Hands deliveries to the work queue: the delivery rows are their own outbox. A new delivery is
 * stored unqueued in the transaction that accepts its message; right after that commits, this
 * publishes it (and whatever else is due) on a thread of its own, and every
 * {@code republish-interval} it also hands over due retries, redriven deliveries and jobs that
 * seem lost, and returns deliveries whose worker died mid-attempt to PENDING. Rows are marked
 * with FOR UPDATE SKIP LOCKED in a short transaction of their own before publishing: several
 * instances share the work without publishing the same row at once, and no lock is held while
 * the broker confirms. A row the broker did not confirm is unmarked and goes on the next run.
 */
@Component
class DeliveryRepublisher implements DisposableBean {

    private static final Log log = LogFactory.getLog(DeliveryRepublisher.class);
    private static final int BATCH = 100;
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final RabbitTemplate rabbit;
    private final TransactionTemplate transaction;
    private final AttemptTracing tracing;
    private final Duration lostAfter;
    private final Duration stuckAfter;
    private final Instant startedAt = Instant.now();
    /** One pass at a time per instance; wake-ups during a pass come to one more pass. */
    private final ExecutorService passes = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "webhooks-dispatch");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean passQueued = new AtomicBoolean();
    private volatile boolean sweptJobsOfEarlierRuns;

    DeliveryRepublisher(JdbcClient jdbc, RabbitTemplate rabbit, TransactionTemplate transaction, AttemptTracing tracing,
            WebhooksSettings settings) {
        this.jdbc = jdbc;
        this.rabbit = rabbit;
        this.transaction = transaction;
        this.tracing = tracing;
        this.lostAfter = settings.republishLostAfter();
        this.stuckAfter = settings.requestTimeout().multipliedBy(2);
    }

    /** Publishes new deliveries once the current transaction commits (at once outside one). */
    void publishAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        }
        else {
            wake();
        }
    }

    /** Runs a publishing pass soon on the dispatch thread, unless one is already waiting to run. */
    void wake() {
        if (passQueued.compareAndSet(false, true)) {
            try {
                passes.execute(() -> {
                    passQueued.set(false);
                    publishDue();
                });
            }
            catch (RejectedExecutionException shuttingDown) {
                // The rows stay unqueued: the first pass of the next start (or another instance) sends them.
                passQueued.set(false);
            }
        }
    }

    /** The periodic pass, every {@code republish-interval} ({@link DeliverySchedules}). */
    void run() {
        try {
            releaseStuckClaims();
            markLostJobs();
        }
        catch (RuntimeException e) {
            log.warn("Checking webhook deliveries for lost jobs failed; trying again on the next run: " + e.getMessage());
        }
        wake();
    }

    private void publishDue() {
        try {
            int published;
            do {
                published = publishDueBatch();
            }
            while (published == BATCH);
        }
        catch (RuntimeException e) {
            log.warn("Handing webhook deliveries to the work queue failed; trying again on the next run: " + e.getMessage());
        }
    }

    /** A claim older than twice the request timeout belongs to a worker that is gone. */
    int releaseStuckClaims() {
        int released = jdbc.sql("""
                UPDATE webhooks.deliveries
                SET status = 'PENDING', next_attempt_at = now(), enqueued_attempt = -1, claimed_at = NULL,
                    last_error = 'The worker did not finish the attempt.', updated_at = now()
                WHERE status = 'PROCESSING' AND claimed_at < now() - :stuck * interval '1 millisecond'
                """)
            .param("stuck", stuckAfter.toMillis()).update();
        if (released > 0) {
            log.warn("Returned " + released + " webhook deliveries stuck in PROCESSING to PENDING");
        }
        return released;
    }

    /**
     * Unmarks due deliveries whose job went to the queue longer than {@code republish-lost-after}
     * ago without a claim (lost with a broker), so they are published again. On the first run
     * it also takes every job an earlier run of this instance marked and may not have
     * published before it stopped: a duplicate job is harmless, a lost one is not.
     */
    private void markLostJobs() {
        Instant before = sweptJobsOfEarlierRuns ? Instant.now().minus(lostAfter) : startedAt;
        jdbc.sql("""
                UPDATE webhooks.deliveries SET enqueued_attempt = -1
                WHERE status = 'PENDING' AND next_attempt_at <= now() AND enqueued_attempt >= attempts AND enqueued_at < :before
                """)
            .param("before", java.sql.Timestamp.from(before)).update();
        sweptJobsOfEarlierRuns = true;
    }

    private record Due(UUID id, @Nullable String traceparent) {
    }

    /**
     * Marks a batch of due, unqueued deliveries as handed to the queue and commits, then
     * publishes them all and waits for their confirms: no row lock is held while the broker
     * confirms (a claim would wait for it), and a job the broker did not confirm is unmarked.
     */
    private int publishDueBatch() {
        List<Due> due = transaction.execute(status -> jdbc.sql("""
                UPDATE webhooks.deliveries SET enqueued_attempt = attempts, enqueued_at = now()
                WHERE id IN (
                    SELECT id FROM webhooks.deliveries
                    WHERE status = 'PENDING' AND enqueued_attempt < attempts AND next_attempt_at <= now()
                    ORDER BY next_attempt_at
                    LIMIT :batch
                    FOR UPDATE SKIP LOCKED)
                RETURNING id, trace_parent
                """)
            .param("batch", BATCH).query((rs, row) -> new Due(rs.getObject("id", UUID.class), rs.getString("trace_parent"))).list());
        List<CorrelationData> sent = new ArrayList<>(due.size());
        List<UUID> unconfirmed = new ArrayList<>();
        for (Due delivery : due) {
            CorrelationData correlation = new CorrelationData(delivery.id().toString());
            // The job is published in the trace its delivery was created in, so its consumer and attempt join that trace.
            try (AttemptTracing.InTrace scope = tracing.inTraceOf(delivery.traceparent())) {
                rabbit.convertAndSend(DeliveryQueues.WORK_EXCHANGE, DeliveryQueues.WORK_KEY, new DeliveryRequested(delivery.id()), correlation);
                sent.add(correlation);
            }
            catch (RuntimeException e) {
                log.warn("Could not hand delivery " + delivery.id() + " to the work queue: " + e.getMessage());
                unconfirmed.add(delivery.id());
            }
        }
        long deadline = System.nanoTime() + CONFIRM_TIMEOUT.toNanos();
        for (CorrelationData correlation : sent) {
            if (!confirmed(correlation, deadline)) {
                unconfirmed.add(UUID.fromString(correlation.getId()));
            }
        }
        if (!unconfirmed.isEmpty()) {
            jdbc.sql("UPDATE webhooks.deliveries SET enqueued_attempt = -1 WHERE id IN (:ids) AND status = 'PENDING'")
                .param("ids", unconfirmed).update();
        }
        return due.size();
    }

    private static boolean confirmed(CorrelationData correlation, long deadline) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return confirm.ack() && correlation.getReturned() == null;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (Exception e) {
            log.warn("The broker did not confirm delivery " + correlation.getId() + ": " + e.getMessage());
            return false;
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        passes.shutdown();
        passes.awaitTermination(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
