package webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import webhooks.ownership.Caller;

/**
 * The lifecycle of deliveries in PostgreSQL: PENDING, claimed as PROCESSING for one attempt,
 * then SUCCEEDED, FAILED, or PENDING again with its next attempt time. Every change is a
 * conditional update, so two workers, or a worker and the sweeper, never both win. The changes
 * the API asks for (redrive, recover) take the {@link Caller}: a delivery belongs to its
 * message's owner, and another client's is left alone as if it did not exist.
 */
@Repository
class Deliveries {

    private final JdbcClient jdbc;

    Deliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * An attempt a worker owns.
     *
     * @param attempt this attempt's number, counting from 1
     */
    record Claim(UUID deliveryId, UUID messageId, UUID endpointId, int attempt) {
    }

    /** The message a delivery carries. */
    record Message(UUID id, String eventType, String payload, Instant createdAt) {
    }

    /**
     * Takes a due, pending delivery for one attempt. Empty when it is not due, already taken,
     * or done: a duplicated or redelivered job then does nothing.
     */
    Optional<Claim> claim(UUID deliveryId) {
        return jdbc.sql("""
                UPDATE webhooks.deliveries
                SET status = 'PROCESSING', attempts = attempts + 1, claimed_at = now(), updated_at = now()
                WHERE id = ? AND status = 'PENDING' AND next_attempt_at <= now()
                RETURNING id, message_id, endpoint_id, attempts
                """)
            .param(deliveryId)
            .query((rs, row) -> new Claim(rs.getObject("id", UUID.class), rs.getObject("message_id", UUID.class),
                    rs.getObject("endpoint_id", UUID.class), rs.getInt("attempts")))
            .optional();
    }

    Message message(UUID messageId) {
        return jdbc.sql("SELECT id, event_type, payload, created_at FROM webhooks.messages WHERE id = ?").param(messageId)
            .query((rs, row) -> new Message(rs.getObject("id", UUID.class), rs.getString("event_type"), rs.getString("payload"),
                    rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant()))
            .single();
    }

    void recordAttempt(Claim claim, AttemptResult result) {
        jdbc.sql("""
                INSERT INTO webhooks.attempts (delivery_id, number, attempted_at, status_code, latency_ms, error, response_body)
                VALUES (:delivery, :number, now() - :latency * interval '1 millisecond', :status, :latency, :error, :body)
                """)
            .param("delivery", claim.deliveryId()).param("number", claim.attempt()).param("latency", result.latencyMillis())
            .param("status", result.statusCode(), java.sql.Types.INTEGER).param("error", truncate(result.error()))
            .param("body", result.responseBody())
            .update();
    }

    /** Ends the claimed attempt as SUCCEEDED or FAILED; false if the claim was lost meanwhile. */
    boolean finish(Claim claim, String status, String error) {
        return jdbc.sql("""
                UPDATE webhooks.deliveries SET status = :status, last_error = :error, claimed_at = NULL, updated_at = now()
                WHERE id = :id AND status = 'PROCESSING' AND attempts = :attempt
                """)
            .param("status", status).param("error", truncate(error)).param("id", claim.deliveryId()).param("attempt", claim.attempt())
            .update() == 1;
    }

    /** Makes the claimed delivery pending again, due after the delay; false if the claim was lost. */
    boolean retryLater(Claim claim, Duration delay, String error) {
        return jdbc.sql("""
                UPDATE webhooks.deliveries
                SET status = 'PENDING', next_attempt_at = now() + :delay * interval '1 millisecond', last_error = :error,
                    claimed_at = NULL, updated_at = now()
                WHERE id = :id AND status = 'PROCESSING' AND attempts = :attempt
                """)
            .param("delay", delay.toMillis()).param("error", truncate(error)).param("id", claim.deliveryId())
            .param("attempt", claim.attempt())
            .update() == 1;
    }

    /** Gives a claimed attempt back without counting it (nothing was sent), due after the delay. */
    boolean postpone(Claim claim, Duration delay) {
        return jdbc.sql("""
                UPDATE webhooks.deliveries
                SET status = 'PENDING', attempts = attempts - 1, next_attempt_at = now() + :delay * interval '1 millisecond',
                    enqueued_attempt = -1, claimed_at = NULL, updated_at = now()
                WHERE id = :id AND status = 'PROCESSING' AND attempts = :attempt
                """)
            .param("delay", delay.toMillis()).param("id", claim.deliveryId()).param("attempt", claim.attempt())
            .update() == 1;
    }

    /**
     * Makes a FAILED delivery pending again with its attempts reset; the re-publisher then
     * hands it to the work queue. False when it is not FAILED (a repeated redrive does nothing).
     */
    boolean redrive(UUID deliveryId, Caller caller) {
        return jdbc.sql("""
                UPDATE webhooks.deliveries
                SET status = 'PENDING', attempts = 0, enqueued_attempt = -1, next_attempt_at = now(), last_error = NULL,
                    updated_at = now()
                WHERE id = :id AND status = 'FAILED' AND (:admin OR owner = :client)
                """)
            .param("id", deliveryId).params(caller.ownerParams()).update() == 1;
    }

    /**
     * Redrives every FAILED delivery of an endpoint whose message was accepted at or after
     * {@code since}, as {@link #redrive} does one. Pending, in-flight and succeeded deliveries
     * are left alone, so a repeated recovery finds nothing more to do.
     *
     * @return how many deliveries were made pending again
     */
    int recover(UUID endpointId, Instant since, Caller caller) {
        return jdbc.sql("""
                UPDATE webhooks.deliveries
                SET status = 'PENDING', attempts = 0, enqueued_attempt = -1, next_attempt_at = now(), last_error = NULL,
                    updated_at = now()
                WHERE endpoint_id = :endpoint AND status = 'FAILED' AND created_at >= :since AND (:admin OR owner = :client)
                """)
            .param("endpoint", endpointId).param("since", java.sql.Timestamp.from(since)).params(caller.ownerParams()).update();
    }

    /** The status of a delivery the caller may see; empty for an unknown one and for another client's. */
    Optional<String> status(UUID deliveryId, Caller caller) {
        return jdbc.sql("SELECT status FROM webhooks.deliveries WHERE id = :id AND (:admin OR owner = :client)")
            .param("id", deliveryId).params(caller.ownerParams()).query(String.class).optional();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
