package payments.idempotency;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import payments.config.PaymentsSettings;

/**
 * Idempotency-Key records per API client. A key is claimed by INSERT under its primary
 * key, never by check-then-insert, so of any number of concurrent requests exactly one
 * executes. A claim left IN_FLIGHT by a crashed request can be taken over once its lock
 * is stale.
 */
@Component
public class IdempotencyKeys implements SchedulingConfigurer {

    private static final Log log = LogFactory.getLog(IdempotencyKeys.class);

    /** The result of trying to claim a key. */
    public sealed interface Claim {

    }

    /** This request owns the key and must execute, then complete or release it. */
    public record Acquired() implements Claim {
    }

    /** The key completed before: answer with the stored response. */
    public record Replay(int status, String body) implements Claim {
    }

    /** Another request with this key is still executing. */
    public record InFlight() implements Claim {
    }

    /** The key was used with a different request. */
    public record Mismatch() implements Claim {
    }

    private record Stored(String fingerprint, String status, Integer responseStatus, String responseBody,
            Instant lockedAt) {
    }

    private final JdbcClient jdbc;

    private final Duration lockTimeout;

    private final Duration purgeInterval;

    IdempotencyKeys(JdbcClient jdbc, PaymentsSettings settings) {
        this.jdbc = jdbc;
        this.lockTimeout = Duration.ofMinutes(1);
        this.purgeInterval = settings.idempotencyPurgeInterval();
    }

    /** Purges expired keys every {@code idempotency-purge-interval}. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::purgeExpired, purgeInterval);
    }

    public Claim claim(String client, String key, String fingerprint, Instant now, Duration retention) {
        int inserted = jdbc
            .sql("""
                    INSERT INTO payments.idempotency_keys (client_id, idempotency_key, fingerprint, status, locked_at, created_at, expires_at)
                    VALUES (:client, :key, :fingerprint, 'IN_FLIGHT', :now, :now, :expires)
                    ON CONFLICT (client_id, idempotency_key) DO NOTHING
                    """)
            .param("client", client)
            .param("key", key)
            .param("fingerprint", fingerprint)
            .param("now", timestamp(now))
            .param("expires", timestamp(now.plus(retention)))
            .update();
        if (inserted == 1) {
            return new Acquired();
        }
        Optional<Stored> stored = find(client, key);
        if (stored.isEmpty()) {
            // released or purged meanwhile
            return claim(client, key, fingerprint, now, retention);
        }
        Stored existing = stored.get();
        if (!existing.fingerprint().equals(fingerprint)) {
            return new Mismatch();
        }
        if ("COMPLETED".equals(existing.status())) {
            return new Replay(existing.responseStatus(), existing.responseBody());
        }
        if (existing.lockedAt().isBefore(now.minus(lockTimeout)) && takeOver(client, key, existing.lockedAt(), now)) {
            log.info("Took over an Idempotency-Key abandoned in flight since " + existing.lockedAt());
            return new Acquired();
        }
        return new InFlight();
    }

    /**
     * Stores the response; call inside the transaction that did the work, so both commit
     * together.
     */
    public void complete(String client, String key, int status, String body) {
        jdbc.sql(
                """
                        UPDATE payments.idempotency_keys SET status = 'COMPLETED', response_status = :status, response_body = :body
                        WHERE client_id = :client AND idempotency_key = :key
                        """)
            .param("status", status)
            .param("body", body)
            .param("client", client)
            .param("key", key)
            .update();
    }

    /** Frees a key whose request failed unexpectedly, so a retry with it can execute. */
    public void release(String client, String key) {
        jdbc.sql(
                "DELETE FROM payments.idempotency_keys WHERE client_id = :client AND idempotency_key = :key AND status = 'IN_FLIGHT'")
            .param("client", client)
            .param("key", key)
            .update();
    }

    void purgeExpired() {
        int purged = jdbc.sql("DELETE FROM payments.idempotency_keys WHERE expires_at < now()").update();
        if (purged > 0) {
            log.info("Purged " + purged + " expired Idempotency-Keys");
        }
    }

    private Optional<Stored> find(String client, String key) {
        return jdbc.sql("""
                SELECT fingerprint, status, response_status, response_body, locked_at
                FROM payments.idempotency_keys WHERE client_id = :client AND idempotency_key = :key
                """)
            .param("client", client)
            .param("key", key)
            .query((rs, row) -> new Stored(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4),
                    rs.getTimestamp(5).toInstant()))
            .optional();
    }

    private boolean takeOver(String client, String key, Instant lockedAt, Instant now) {
        return jdbc.sql("""
                UPDATE payments.idempotency_keys SET locked_at = :now
                WHERE client_id = :client AND idempotency_key = :key AND status = 'IN_FLIGHT' AND locked_at = :lockedAt
                """)
            .param("now", timestamp(now))
            .param("client", client)
            .param("key", key)
            .param("lockedAt", timestamp(lockedAt))
            .update() == 1;
    }

    private static java.sql.Timestamp timestamp(Instant instant) {
        // PostgreSQL keeps microseconds: truncate so a value read back compares equal.
        return java.sql.Timestamp.from(instant.truncatedTo(ChronoUnit.MICROS));
    }

}
