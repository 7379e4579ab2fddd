package webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * Hands deliveries to the work queue: the delivery rows are their own outbox. A new
 * delivery is stored as queued by the statement that accepts its message, and right after
 * that commits this publishes it on a thread of its own, in batches whose confirms are
 * awaited together; the row is not touched again unless the broker refuses the job. Every
 * {@code republish-interval} it also hands over due retries, redriven deliveries and jobs
 * that seem lost (queued long ago and never claimed), and returns deliveries whose worker
 * died mid-attempt to PENDING. Those rows are marked with FOR UPDATE SKIP LOCKED in a
 * short transaction of their own before publishing: several instances share the work
 * without publishing the same row at once, and no lock is held while the broker confirms.
 * A row the broker did not confirm is unmarked and goes on the next run.
 */
@Component
class DeliveryRepublisher implements DisposableBean {

    private static final Log log = LogFactory.getLog(DeliveryRepublisher.class);

    private static final int BATCH = 100;

    /** The most deliveries one job carries: one worker attempts them in turn. */
    private static final int PER_JOB = 8;

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

    /** New deliveries whose transaction committed, waiting for the dispatch thread. */
    private final Queue<Due> handedOver = new ConcurrentLinkedQueue<>();

    /**
     * Whether the next pass also looks for due, unqueued rows (the periodic run asks for
     * it).
     */
    private final AtomicBoolean dueWanted = new AtomicBoolean();

    /**
     * When the last sweep for lost jobs succeeded; null until the first, which sweeps
     * every earlier run's jobs.
     */
    private volatile @Nullable Instant lastLostSweep;

    DeliveryRepublisher(JdbcClient jdbc, RabbitTemplate rabbit, TransactionTemplate transaction, AttemptTracing tracing,
            WebhooksSettings settings) {
        this.jdbc = jdbc;
        this.rabbit = rabbit;
        this.transaction = transaction;
        this.tracing = tracing;
        this.lostAfter = settings.republishLostAfter();
        this.stuckAfter = settings.requestTimeout().multipliedBy(2);
    }

    /**
     * Hands new deliveries, stored as queued by the statement that accepted their
     * message, to the broker once the current transaction commits (at once outside one).
     * Nothing is read back or marked for them: if this instance dies before the broker
     * confirms, they are jobs that seem lost and go again after
     * {@code republish-lost-after}, or when this instance starts again.
     */
    void publishAfterCommit(List<MessageIngestion.AcceptedDelivery> deliveries, @Nullable String traceparent) {
        Runnable handOver = () -> {
            deliveries.forEach(delivery -> handedOver.add(new Due(delivery.id(), delivery.endpointId(), traceparent)));
            wake();
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    handOver.run();
                }
            });
        }
        else {
            handOver.run();
        }
    }

    /**
     * Runs a publishing pass soon on the dispatch thread, unless one is already waiting
     * to run.
     */
    private void wake() {
        if (passQueued.compareAndSet(false, true)) {
            try {
                passes.execute(() -> {
                    passQueued.set(false);
                    publishPass();
                });
            }
            catch (RejectedExecutionException shuttingDown) {
                // Jobs not yet handed over seem lost to the first pass of the next start
                // (or to another instance) and go then.
                passQueued.set(false);
            }
        }
    }

    /**
     * The periodic pass, every {@code republish-interval} ({@link DeliverySchedules}).
     */
    void run() {
        try {
            releaseStuckClaims();
            markLostJobs();
        }
        catch (RuntimeException e) {
            log.warn("Checking webhook deliveries for lost jobs failed; trying again on the next run: "
                    + e.getMessage());
        }
        dueWanted.set(true);
        wake();
    }

    private void publishPass() {
        try {
            List<Due> batch = new ArrayList<>(BATCH);
            for (Due due = handedOver.poll(); due != null; due = handedOver.poll()) {
                batch.add(due);
                if (batch.size() == BATCH) {
                    unmark(publish(batch));
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) {
                unmark(publish(batch));
            }
            if (dueWanted.getAndSet(false)) {
                int published;
                do {
                    published = publishDueBatch();
                }
                while (published == BATCH);
            }
        }
        catch (RuntimeException e) {
            log.warn("Handing webhook deliveries to the work queue failed; trying again on the next run: "
                    + e.getMessage());
        }
    }

    /** A claim older than twice the request timeout belongs to a worker that is gone. */
    int releaseStuckClaims() {
        int released = jdbc.sql("""
                UPDATE webhooks.deliveries
                SET status = 'PENDING', next_attempt_at = now(), enqueued_attempt = -1, claimed_at = NULL,
                    last_error = 'The worker did not finish the attempt.', updated_at = now()
                WHERE status = 'PROCESSING' AND claimed_at < now() - :stuck * interval '1 millisecond'
                """).param("stuck", stuckAfter.toMillis()).update();
        if (released > 0) {
            log.warn("Returned " + released + " webhook deliveries stuck in PROCESSING to PENDING");
        }
        return released;
    }

    /**
     * Unmarks due deliveries whose job went to the queue longer than
     * {@code republish-lost-after} ago without a claim (lost with a broker), so they are
     * published again. On the first run it also takes every job an earlier run of this
     * instance marked and may not have published before it stopped: a duplicate job is
     * harmless, a lost one is not.
     */
    private void markLostJobs() {
        // Each sweep walks the due backlog: a quarter of the wait is often enough.
        Instant now = Instant.now();
        Instant last = lastLostSweep;
        if (last != null && now.isBefore(last.plus(lostAfter.dividedBy(4)))) {
            return;
        }
        Instant before = last != null ? now.minus(lostAfter) : startedAt;
        jdbc.sql(
                """
                        UPDATE webhooks.deliveries SET enqueued_attempt = -1
                        WHERE status = 'PENDING' AND next_attempt_at <= now() AND enqueued_attempt >= attempts AND enqueued_at < :before
                        """)
            .param("before", java.sql.Timestamp.from(before))
            .update();
        lastLostSweep = now;
    }

    /** A delivery to hand to the work queue, with the trace its job is published in. */
    private record Due(UUID deliveryId, UUID endpointId, @Nullable String traceparent) {
    }

    /**
     * Marks a batch of due, unqueued deliveries (retries, redriven and lost ones) as
     * handed to the queue and commits, then publishes them: no row lock is held while the
     * broker confirms (a claim would wait for it), and a job the broker did not confirm
     * is unmarked.
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
                RETURNING id, endpoint_id, trace_parent
                """)
            .param("batch", BATCH)
            .query((rs, row) -> new Due(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                    rs.getString("trace_parent")))
            .list());
        unmark(publish(due));
        return due.size();
    }

    /**
     * Publishes the deliveries as jobs of up to {@link #PER_JOB} deliveries of one
     * endpoint each (fewer broker messages, and a slow endpoint's job holds no other
     * endpoint's delivery), then waits for all their confirms together; the deliveries
     * the broker did not confirm.
     */
    private List<UUID> publish(List<Due> deliveries) {
        Map<UUID, List<Due>> byEndpoint = new LinkedHashMap<>();
        deliveries.forEach(due -> byEndpoint.computeIfAbsent(due.endpointId(), endpoint -> new ArrayList<>()).add(due));
        List<Sent> sent = new ArrayList<>();
        List<UUID> unconfirmed = new ArrayList<>();
        for (List<Due> ofEndpoint : byEndpoint.values()) {
            for (int from = 0; from < ofEndpoint.size(); from += PER_JOB) {
                List<Due> chunk = ofEndpoint.subList(from, Math.min(from + PER_JOB, ofEndpoint.size()));
                List<UUID> ids = chunk.stream().map(Due::deliveryId).toList();
                CorrelationData correlation = new CorrelationData(ids.get(0).toString());
                // Published in the trace of its first delivery's message; each attempt
                // joins its own message's trace.
                try (AttemptTracing.InTrace scope = tracing.inTraceOf(chunk.get(0).traceparent())) {
                    rabbit.convertAndSend(DeliveryQueues.WORK_EXCHANGE, DeliveryQueues.WORK_KEY,
                            new DeliveryRequested(ids), correlation);
                    sent.add(new Sent(correlation, ids));
                }
                catch (RuntimeException e) {
                    log.warn("Could not hand deliveries " + ids + " to the work queue: " + e.getMessage());
                    unconfirmed.addAll(ids);
                }
            }
        }
        long deadline = System.nanoTime() + CONFIRM_TIMEOUT.toNanos();
        for (Sent job : sent) {
            if (!confirmed(job.correlation(), deadline)) {
                unconfirmed.addAll(job.deliveryIds());
            }
        }
        return unconfirmed;
    }

    private record Sent(CorrelationData correlation, List<UUID> deliveryIds) {
    }

    /** Unqueued again, the deliveries go on the next periodic pass. */
    private void unmark(List<UUID> unconfirmed) {
        if (!unconfirmed.isEmpty()) {
            jdbc.sql("UPDATE webhooks.deliveries SET enqueued_attempt = -1 WHERE id IN (:ids) AND status = 'PENDING'")
                .param("ids", unconfirmed)
                .update();
        }
    }

    private static boolean confirmed(CorrelationData correlation, long deadline) {
        try {
            CorrelationData.Confirm confirm = correlation.getFuture()
                .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
