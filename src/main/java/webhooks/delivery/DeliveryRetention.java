package webhooks.delivery;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import webhooks.WebhooksSettings;

/**
 * Purges messages older than the retention whose deliveries all succeeded (or that had no
 * subscriber), with their deliveries and attempts. Failed, pending and in-flight
 * deliveries keep their message: they may still be redriven or are still being worked on.
 * A purged message also frees its idempotency key, so the retention is the idempotency
 * window too. Deletes run in small batches, each its own statement, so no purge holds
 * many row locks at once.
 */
@Component
class DeliveryRetention {

    private static final Log log = LogFactory.getLog(DeliveryRetention.class);

    private static final int BATCH = 500;

    private final JdbcClient jdbc;

    private final Duration retention;

    @Autowired
    DeliveryRetention(JdbcClient jdbc, WebhooksSettings settings) {
        this(jdbc, settings.retention());
    }

    DeliveryRetention(JdbcClient jdbc, Duration retention) {
        this.jdbc = jdbc;
        this.retention = retention;
    }

    /** One purge, every {@code retention-interval} ({@link DeliverySchedules}). */
    void run() {
        try {
            int purged = purge();
            if (purged > 0) {
                log.info("Purged " + purged + " webhook messages older than " + retention
                        + " whose deliveries succeeded");
            }
        }
        catch (RuntimeException e) {
            log.warn("Purging old webhook messages failed; trying again on the next run: " + e.getMessage());
        }
    }

    /**
     * @return how many messages were purged
     */
    int purge() {
        int total = 0;
        int deleted;
        do {
            // A delivery that changed within the retention (redriven and succeeded
            // lately, say) keeps its message too.
            deleted = jdbc
                .sql("""
                        DELETE FROM webhooks.messages WHERE id IN (
                            SELECT m.id FROM webhooks.messages m
                            WHERE m.created_at < now() - :retention * interval '1 millisecond'
                              AND NOT EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.message_id = m.id
                                  AND (d.status <> 'SUCCEEDED' OR d.updated_at >= now() - :retention * interval '1 millisecond'))
                            ORDER BY m.created_at
                            LIMIT :batch
                            FOR UPDATE SKIP LOCKED)
                        """)
                .param("retention", retention.toMillis())
                .param("batch", BATCH)
                .update();
            total += deleted;
        }
        while (deleted == BATCH);
        return total;
    }

}
