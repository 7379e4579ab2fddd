package webhooks.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import webhooks.WebhooksSettings;

/**
 * Keeps the work queue in step with PostgreSQL, where every delivery's schedule lives (so it
 * survives restarts and needs no broker-side delays). Hands due retries, redriven deliveries
 * and jobs that seem lost to the work queue, and returns deliveries whose worker died
 * mid-attempt to PENDING. Rows are marked with FOR UPDATE SKIP LOCKED in a short transaction of
 * their own, before publishing: several instances share the work without publishing the same row
 * at once, and no lock is held while the broker confirms.
 */
@Component
class DeliveryRepublisher {

    private static final Log log = LogFactory.getLog(DeliveryRepublisher.class);
    private static final int BATCH = 100;
    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final RabbitTemplate rabbit;
    private final TransactionTemplate transaction;
    private final Duration lostAfter;
    private final Duration stuckAfter;

    DeliveryRepublisher(JdbcClient jdbc, RabbitTemplate rabbit, TransactionTemplate transaction, WebhooksSettings settings) {
        this.jdbc = jdbc;
        this.rabbit = rabbit;
        this.transaction = transaction;
        this.lostAfter = settings.republishLostAfter();
        this.stuckAfter = settings.requestTimeout().multipliedBy(2);
    }

    /** One pass, every {@code republish-interval} ({@link DeliverySchedules}). */
    void run() {
        try {
            releaseStuckClaims();
            Integer published;
            do {
                published = publishDueBatch();
            }
            while (published != null && published == BATCH);
        }
        catch (RuntimeException e) {
            log.warn("Re-publishing due webhook deliveries failed; trying again on the next run: " + e.getMessage());
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
     * Marks a batch of due deliveries as handed to the queue and commits, then publishes them: no
     * row lock is held while the broker confirms (a claim would wait for it), and a job the broker
     * did not confirm is unmarked, so the next run hands it over again.
     */
    private int publishDueBatch() {
        List<UUID> due = transaction.execute(status -> jdbc.sql("""
                UPDATE webhooks.deliveries SET enqueued_attempt = attempts, enqueued_at = now()
                WHERE id IN (
                    SELECT id FROM webhooks.deliveries
                    WHERE status = 'PENDING' AND next_attempt_at <= now()
                      AND (enqueued_attempt < attempts OR enqueued_at < now() - :lost * interval '1 millisecond')
                    ORDER BY next_attempt_at
                    LIMIT :batch
                    FOR UPDATE SKIP LOCKED)
                RETURNING id
                """)
            .param("lost", lostAfter.toMillis()).param("batch", BATCH).query(UUID.class).list());
        List<UUID> unconfirmed = new ArrayList<>();
        for (UUID delivery : due) {
            if (!publish(delivery)) {
                unconfirmed.add(delivery);
            }
        }
        if (!unconfirmed.isEmpty()) {
            jdbc.sql("UPDATE webhooks.deliveries SET enqueued_attempt = -1 WHERE id IN (:ids) AND status = 'PENDING'")
                .param("ids", unconfirmed).update();
        }
        return due.size();
    }

    private boolean publish(UUID delivery) {
        CorrelationData correlation = new CorrelationData(delivery.toString());
        try {
            rabbit.convertAndSend(DeliveryQueues.WORK_EXCHANGE, DeliveryQueues.WORK_KEY, new DeliveryRequested(delivery), correlation);
            CorrelationData.Confirm confirm = correlation.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return confirm.ack() && correlation.getReturned() == null;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        catch (Exception e) {
            log.warn("Could not hand delivery " + delivery + " to the work queue: " + e.getMessage());
            return false;
        }
    }
}
