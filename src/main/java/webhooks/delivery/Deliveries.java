package webhooks.delivery;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;
import webhooks.endpoint.DeliveryTarget;
import webhooks.ownership.Caller;

/**
 * The lifecycle of deliveries in PostgreSQL: PENDING, claimed as PROCESSING for one
 * attempt, then SUCCEEDED, FAILED, or PENDING again with its next attempt time. Every
 * change is a conditional update, so two workers, or a worker and the sweeper, never both
 * win. The changes the API asks for (redrive, recover) take the {@link Caller}: a
 * delivery belongs to its message's owner, and another client's is left alone as if it
 * did not exist.
 */
@Repository
class Deliveries {

    /**
     * The advisory lock space of per-endpoint claims ("WHK2"; 0x57484b31 is the ingestion
     * keys').
     */
    private static final int ENDPOINT_LOCKS = 0x57484b32;

    private final JdbcClient jdbc;

    /**
     * Commits the statement's transaction without waiting for its WAL flush. Only for
     * writes a crash may lose: a lost claim or wait leaves the delivery as it was
     * (pending, its job queued), and any later attempt's record, committed with the
     * flush, flushes them first. The flushes were what capped deliveries per endpoint:
     * claims for one endpoint take turns.
     */
    private static final String WITHOUT_WAITING_FOR_THE_FLUSH = "(SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL";

    private final TransactionTemplate transaction;

    Deliveries(JdbcClient jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** The message a delivery carries. */
    record Message(UUID id, String eventType, String payload, Instant createdAt) {
    }

    /**
     * What a claim found: the attempt is ours, the endpoint has its bound of attempts in
     * flight, or there is nothing to do.
     */
    sealed interface ClaimResult {

    }

    /**
     * An attempt a worker owns.
     *
     * @param attempt this attempt's number, counting from 1 (throttled attempts included)
     * @param throttledBefore how many of the earlier attempts the endpoint throttled
     * @param target the endpoint as the claim found it, read in the claiming statement
     * @param message the message to send, read in the claiming statement
     * @param traceparent the trace the delivery was created in, which its attempts join;
     * null if none
     */
    record Claim(UUID deliveryId, int attempt, int throttledBefore, DeliveryTarget target, Message message,
            @Nullable String traceparent) implements ClaimResult {

        UUID endpointId() {
            return target.endpointId();
        }

        UUID messageId() {
            return message.id();
        }

        /**
         * This attempt's number among those that count against the delivery's maximum.
         */
        int countedAttempt() {
            return attempt - throttledBefore;
        }
    }

    /**
     * The endpoint already has its bound of attempts in flight: the delivery stays
     * pending.
     */
    record EndpointBusy(UUID deliveryId, UUID endpointId) implements ClaimResult {
    }

    /**
     * The endpoint asked to be left alone (429 or 503 with Retry-After) for this much
     * longer.
     */
    record EndpointThrottled(UUID deliveryId, Duration remaining) implements ClaimResult {
    }

    /**
     * Not due, already taken, or done: a duplicated or redelivered job then does nothing.
     */
    record NothingToDo() implements ClaimResult {
    }

    /**
     * Another worker is claiming for the same endpoint this very moment: try again
     * shortly.
     */
    record Contended() implements ClaimResult {
    }

    /**
     * Takes a due, pending delivery for one attempt, with its endpoint and message in the
     * same statement, unless its endpoint already has {@code max_concurrent_attempts} (or
     * {@code defaultBound}) attempts in flight on any instance, or the endpoint is
     * throttling us. Claims for one endpoint take turns on a transaction-scoped advisory
     * lock, taken in a statement of its own so that the count after it sees every claim
     * committed before; a claim that finds the lock taken answers {@link Contended}
     * rather than wait for it. The claim commits without waiting for its flush
     * ({@link #WITHOUT_WAITING_FOR_THE_FLUSH}), so the lock is held only briefly.
     */
    ClaimResult claim(UUID deliveryId, int defaultBound) {
        record Due(UUID endpoint, long throttledMillis, boolean locked) {
        }
        return transaction.execute(status -> {
            // Only tried: a worker does not wait for the endpoint's lock while it holds a
            // connection (16 workers share 10).
            Optional<Due> due = jdbc
                .sql("""
                        SELECT d.endpoint_id,
                            coalesce(ceil(extract(epoch FROM e.throttled_until - now()) * 1000), 0)::bigint AS throttled_millis,
                            e.throttled_until > now() OR pg_try_advisory_xact_lock(:space, hashtext(d.endpoint_id::text)) AS locked
                        FROM webhooks.deliveries d JOIN webhooks.endpoints e ON e.id = d.endpoint_id
                        WHERE d.id = :id AND d.status = 'PENDING' AND d.next_attempt_at <= now() AND %s
                        """
                    .formatted(WITHOUT_WAITING_FOR_THE_FLUSH))
                .param("space", ENDPOINT_LOCKS)
                .param("id", deliveryId)
                .query((rs, row) -> new Due(rs.getObject(1, UUID.class), rs.getLong(2), rs.getBoolean(3)))
                .optional();
            if (due.isEmpty()) {
                return new NothingToDo();
            }
            if (due.get().throttledMillis() > 0) {
                return new EndpointThrottled(deliveryId, Duration.ofMillis(due.get().throttledMillis()));
            }
            if (!due.get().locked()) {
                return new Contended();
            }
            UUID endpoint = due.get().endpoint();
            Optional<Claim> claimed = jdbc
                .sql("""
                        UPDATE webhooks.deliveries d
                        SET status = 'PROCESSING', attempts = attempts + 1, claimed_at = now(), waiting_since = NULL, updated_at = now()
                        FROM webhooks.endpoints e, webhooks.messages m
                        WHERE d.id = :id AND d.status = 'PENDING' AND d.next_attempt_at <= now() AND e.id = d.endpoint_id
                          AND m.id = d.message_id
                          AND (e.throttled_until IS NULL OR e.throttled_until <= now())
                          AND (SELECT count(*) FROM webhooks.deliveries busy WHERE busy.endpoint_id = d.endpoint_id AND busy.status = 'PROCESSING')
                              < coalesce(e.max_concurrent_attempts, :bound)
                        RETURNING d.id, d.attempts, d.throttled_attempts, d.trace_parent, e.id AS endpoint_id, m.id AS message_id,
                            e.url, e.secret, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS previous_secret,
                            e.enabled, e.rate_limit_per_second, m.event_type, m.payload, m.created_at
                        """)
                .param("id", deliveryId)
                .param("bound", defaultBound)
                .query((rs, row) -> {
                    DeliveryTarget target = new DeliveryTarget(rs.getObject("endpoint_id", UUID.class),
                            URI.create(rs.getString("url")), rs.getString("secret"), rs.getString("previous_secret"),
                            rs.getBoolean("enabled"), (Integer) rs.getObject("rate_limit_per_second"));
                    Message message = new Message(rs.getObject("message_id", UUID.class), rs.getString("event_type"),
                            rs.getString("payload"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
                    return new Claim(rs.getObject("id", UUID.class), rs.getInt("attempts"),
                            rs.getInt("throttled_attempts"), target, message, rs.getString("trace_parent"));
                })
                .optional();
            return claimed.<ClaimResult>map(claim -> claim).orElseGet(() -> new EndpointBusy(deliveryId, endpoint));
        });
    }

    /**
     * Leaves a pending delivery whose endpoint is throttling us to the re-publisher, due
     * again after {@code delay}: the worker moves on to other endpoints' jobs instead of
     * waiting.
     */
    void requeueLater(UUID deliveryId, Duration delay) {
        jdbc.sql(
                """
                        UPDATE webhooks.deliveries SET next_attempt_at = now() + :delay * interval '1 millisecond', enqueued_attempt = -1,
                            waiting_since = NULL, updated_at = now()
                        WHERE id = :id AND status = 'PENDING' AND %s
                        """
                    .formatted(WITHOUT_WAITING_FOR_THE_FLUSH))
            .param("delay", delay.toMillis())
            .param("id", deliveryId)
            .update();
    }

    /**
     * Puts a pending delivery whose endpoint had no free slot in the endpoint's line: the
     * next attempt there to end hands it on ({@link #handOff}). {@code fallback} later it
     * is due anyway, and the re-publisher queues it, in case no attempt ends in between.
     * A delivery that has to wait again keeps its place.
     */
    void waitForSlot(UUID deliveryId, Duration fallback) {
        jdbc.sql(
                """
                        UPDATE webhooks.deliveries SET next_attempt_at = now() + :delay * interval '1 millisecond', enqueued_attempt = -1,
                            waiting_since = coalesce(waiting_since, now()), updated_at = now()
                        WHERE id = :id AND status = 'PENDING' AND %s
                        """
                    .formatted(WITHOUT_WAITING_FOR_THE_FLUSH))
            .param("delay", fallback.toMillis())
            .param("id", deliveryId)
            .update();
    }

    /**
     * Makes the delivery that has waited longest for a slot at this endpoint due now, for
     * the worker whose attempt there just ended; empty when none waits. It stays unmarked
     * for the re-publisher, so a worker that dies before claiming it loses nothing.
     */
    Optional<UUID> handOff(UUID endpointId) {
        return jdbc
            .sql("""
                    UPDATE webhooks.deliveries SET next_attempt_at = now(), updated_at = now()
                    WHERE id = (
                        SELECT id FROM webhooks.deliveries
                        WHERE endpoint_id = :endpoint AND waiting_since IS NOT NULL AND status = 'PENDING' AND next_attempt_at > now()
                        ORDER BY waiting_since
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED)
                    RETURNING id
                    """)
            .param("endpoint", endpointId)
            .query(UUID.class)
            .optional();
    }

    /**
     * @param throttled whether the endpoint throttled it, so that it does not count
     * against the maximum
     */
    void recordAttempt(Claim claim, AttemptResult result, boolean throttled) {
        jdbc.sql(
                """
                        INSERT INTO webhooks.attempts (delivery_id, number, attempted_at, status_code, latency_ms, error, response_body, throttled,
                            trace_id)
                        VALUES (:delivery, :number, now() - :latency * interval '1 millisecond', :status, :latency, :error, :body, :throttled,
                            :traceId)
                        """)
            .param("delivery", claim.deliveryId())
            .param("number", claim.attempt())
            .param("latency", result.latencyMillis())
            .param("status", result.statusCode(), java.sql.Types.INTEGER)
            .param("error", truncate(result.error()))
            .param("body", result.responseBody())
            .param("throttled", throttled)
            .param("traceId", result.traceId())
            .update();
    }

    /**
     * Ends the claimed attempt as SUCCEEDED or FAILED; false if the claim was lost
     * meanwhile.
     */
    boolean finish(Claim claim, DeliveryStatus status, @Nullable String error) {
        return jdbc
            .sql("""
                    UPDATE webhooks.deliveries SET status = :status, last_error = :error, claimed_at = NULL, updated_at = now()
                    WHERE id = :id AND status = 'PROCESSING' AND attempts = :attempt
                    """)
            .param("status", status.name())
            .param("error", truncate(error))
            .param("id", claim.deliveryId())
            .param("attempt", claim.attempt())
            .update() == 1;
    }

    /**
     * Makes the claimed delivery pending again, due after the delay; false if the claim
     * was lost.
     * @param throttled the endpoint throttled the attempt: it stays on record but does
     * not count
     */
    boolean retryLater(Claim claim, Duration delay, String error, boolean throttled) {
        return jdbc
            .sql("""
                    UPDATE webhooks.deliveries
                    SET status = 'PENDING', throttled_attempts = throttled_attempts + CASE WHEN :throttled THEN 1 ELSE 0 END,
                        next_attempt_at = now() + :delay * interval '1 millisecond', last_error = :error, claimed_at = NULL, updated_at = now()
                    WHERE id = :id AND status = 'PROCESSING' AND attempts = :attempt
                    """)
            .param("throttled", throttled)
            .param("delay", delay.toMillis())
            .param("error", truncate(error))
            .param("id", claim.deliveryId())
            .param("attempt", claim.attempt())
            .update() == 1;
    }

    /**
     * Gives a claimed attempt back without counting it (nothing was sent), due after the
     * delay.
     */
    boolean postpone(Claim claim, Duration delay) {
        return jdbc
            .sql("""
                    UPDATE webhooks.deliveries
                    SET status = 'PENDING', attempts = attempts - 1, next_attempt_at = now() + :delay * interval '1 millisecond',
                        enqueued_attempt = -1, claimed_at = NULL, updated_at = now()
                    WHERE id = :id AND status = 'PROCESSING' AND attempts = :attempt
                    """)
            .param("delay", delay.toMillis())
            .param("id", claim.deliveryId())
            .param("attempt", claim.attempt())
            .update() == 1;
    }

    /**
     * Makes a FAILED delivery pending again with its attempts reset; the re-publisher
     * then hands it to the work queue. False when it is not FAILED (a repeated redrive
     * does nothing).
     */
    boolean redrive(UUID deliveryId, Caller caller) {
        return jdbc
            .sql("""
                    UPDATE webhooks.deliveries
                    SET status = 'PENDING', attempts = 0, throttled_attempts = 0, enqueued_attempt = -1, next_attempt_at = now(), last_error = NULL,
                        updated_at = now()
                    WHERE id = :id AND status = 'FAILED' AND (:admin OR owner = :client)
                    """)
            .param("id", deliveryId)
            .params(caller.ownerParams())
            .update() == 1;
    }

    /**
     * Redrives every FAILED delivery of an endpoint whose message was accepted at or
     * after {@code since}, as {@link #redrive} does one. Pending, in-flight and succeeded
     * deliveries are left alone, so a repeated recovery finds nothing more to do.
     * @return how many deliveries were made pending again
     */
    int recover(UUID endpointId, Instant since, Caller caller) {
        return jdbc
            .sql("""
                    UPDATE webhooks.deliveries
                    SET status = 'PENDING', attempts = 0, throttled_attempts = 0, enqueued_attempt = -1, next_attempt_at = now(), last_error = NULL,
                        updated_at = now()
                    WHERE endpoint_id = :endpoint AND status = 'FAILED' AND created_at >= :since AND (:admin OR owner = :client)
                    """)
            .param("endpoint", endpointId)
            .param("since", java.sql.Timestamp.from(since))
            .params(caller.ownerParams())
            .update();
    }

    /**
     * The status of a delivery the caller may see; empty for an unknown one and for
     * another client's.
     */
    Optional<DeliveryStatus> status(UUID deliveryId, Caller caller) {
        return jdbc.sql("SELECT status FROM webhooks.deliveries WHERE id = :id AND (:admin OR owner = :client)")
            .param("id", deliveryId)
            .params(caller.ownerParams())
            .query(String.class)
            .optional()
            .map(DeliveryStatus::valueOf);
    }

    private static @Nullable String truncate(@Nullable String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }

}
