package payments.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import payments.ownership.Caller;

/**
 * The record of every notification, one row per event (UNIQUE on the event's identity). A
 * row is PENDING while someone sends it: whoever inserted or claimed it, until
 * {@code next_attempt_at}, after which another worker may take it over. Each claim counts
 * an attempt. A notification belongs to its order's owner: the API lists a client's own,
 * an admin's every one.
 */
@Repository
class Notifications {

    /** One notification as recorded. */
    record Recorded(UUID id, String eventType, UUID eventKey, UUID orderId, UUID paymentId, UUID refundId,
            String recipient, String channel, String template, String status, int attempts, String lastError,
            Instant createdAt, Instant sentAt, Instant nextAttemptAt) {

        NotificationSender.Notification notification() {
            return new NotificationSender.Notification(id, recipient, channel, template, orderId, paymentId, refundId);
        }
    }

    private static final String COLUMNS = """
            id, event_type, event_key, order_id, payment_id, refund_id, recipient, channel, template, status, attempts,
            last_error, created_at, sent_at, next_attempt_at""";

    private static final int MAX_ERROR_LENGTH = 1000;

    private final JdbcClient jdbc;

    Notifications(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The customer an order belongs to, who is told about it. */
    Optional<String> customerOf(UUID order) {
        return jdbc.sql("SELECT customer_reference FROM payments.orders WHERE id = ?")
            .param(order)
            .query(String.class)
            .optional();
    }

    /**
     * Records the event's notification as PENDING and claimed by the caller until
     * {@code claimedUntil}; empty if the event already has one (the UNIQUE constraint
     * decides, never a prior read). It belongs to the order's owner, and to the event's
     * when the order is not (or no longer) here.
     */
    Optional<Recorded> recordOnce(NotificationSubject subject, String recipient, String channel, Instant now,
            Instant claimedUntil) {
        return jdbc
            .sql("""
                    INSERT INTO payments.notifications (id, owner, event_type, event_key, order_id, payment_id, refund_id, recipient,
                        channel, template, status, attempts, created_at, next_attempt_at)
                    VALUES (:id, coalesce((SELECT owner FROM payments.orders WHERE id = :order), :owner), :eventType, :eventKey, :order, :payment, :refund, :recipient, :channel, :template,
                        'PENDING', 1, :now, :claimedUntil)
                    ON CONFLICT ON CONSTRAINT notifications_once_per_event DO NOTHING
                    RETURNING %s
                    """
                .formatted(COLUMNS))
            .param("id", UUID.randomUUID())
            .param("owner", subject.owner())
            .param("eventType", subject.eventType())
            .param("eventKey", subject.eventKey())
            .param("order", subject.orderId())
            .param("payment", subject.paymentId())
            .param("refund", subject.refundId())
            .param("recipient", recipient)
            .param("channel", channel)
            .param("template", subject.template())
            .param("now", Timestamp.from(now))
            .param("claimedUntil", Timestamp.from(claimedUntil))
            .query(Notifications::recorded)
            .optional();
    }

    /**
     * Claims the event's notification for another attempt if it failed (whatever its
     * attempts) or was abandoned mid-send; empty if it was sent or someone is sending it.
     */
    Optional<Recorded> claimUnsent(String eventType, UUID eventKey, Instant now, Instant claimedUntil) {
        return jdbc.sql("""
                UPDATE payments.notifications
                SET status = 'PENDING', attempts = attempts + 1, next_attempt_at = :claimedUntil
                WHERE event_type = :eventType AND event_key = :eventKey
                  AND (status = 'FAILED' OR (status = 'PENDING' AND next_attempt_at <= :now))
                RETURNING %s
                """.formatted(COLUMNS))
            .param("eventType", eventType)
            .param("eventKey", eventKey)
            .param("now", Timestamp.from(now))
            .param("claimedUntil", Timestamp.from(claimedUntil))
            .query(Notifications::recorded)
            .optional();
    }

    /**
     * Claims up to {@code limit} notifications whose next attempt is due and whose
     * attempts are not used up. SKIP LOCKED: concurrent workers (other instances) take
     * different rows.
     */
    List<Recorded> claimDue(int maxAttempts, int limit, Instant now, Instant claimedUntil) {
        return jdbc.sql("""
                UPDATE payments.notifications
                SET status = 'PENDING', attempts = attempts + 1, next_attempt_at = :claimedUntil
                WHERE id IN (
                    SELECT id FROM payments.notifications
                    WHERE status IN ('FAILED', 'PENDING') AND next_attempt_at <= :now AND attempts < :maxAttempts
                    ORDER BY next_attempt_at
                    LIMIT :limit
                    FOR UPDATE SKIP LOCKED)
                RETURNING %s
                """.formatted(COLUMNS))
            .param("now", Timestamp.from(now))
            .param("claimedUntil", Timestamp.from(claimedUntil))
            .param("maxAttempts", maxAttempts)
            .param("limit", limit)
            .query(Notifications::recorded)
            .list();
    }

    /**
     * A send abandoned mid-way (its claim expired) after the last allowed attempt: FAILED
     * for good, so it is visible rather than PENDING forever.
     */
    int failAbandoned(int maxAttempts, Instant now) {
        return jdbc.sql("""
                UPDATE payments.notifications
                SET status = 'FAILED', next_attempt_at = NULL,
                    last_error = coalesce(last_error || '; ', '') || 'the last attempt did not report back'
                WHERE status = 'PENDING' AND next_attempt_at <= :now AND attempts >= :maxAttempts
                """).param("now", Timestamp.from(now)).param("maxAttempts", maxAttempts).update();
    }

    /**
     * Records a send; only the claim that made it counts (a claim taken over by another
     * worker does not).
     */
    void markSent(Recorded claimed, Instant now) {
        jdbc.sql("""
                UPDATE payments.notifications SET status = 'SENT', sent_at = :now, next_attempt_at = NULL
                WHERE id = :id AND status = 'PENDING' AND attempts = :attempts
                """)
            .param("now", Timestamp.from(now))
            .param("id", claimed.id())
            .param("attempts", claimed.attempts())
            .update();
    }

    /**
     * Records a failed send, with when it may be tried again (null: never, it stays
     * FAILED).
     */
    void markFailed(Recorded claimed, String error, @Nullable Instant nextAttempt) {
        jdbc.sql("""
                UPDATE payments.notifications SET status = 'FAILED', last_error = :error, next_attempt_at = :next
                WHERE id = :id AND status = 'PENDING' AND attempts = :attempts
                """)
            .param("error", error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error)
            .param("next", nextAttempt == null ? null : Timestamp.from(nextAttempt))
            .param("id", claimed.id())
            .param("attempts", claimed.attempts())
            .update();
    }

    /** The order's notifications the caller may see: none of another client's order. */
    List<Recorded> forOrder(UUID order, Caller caller) {
        return jdbc
            .sql("SELECT " + COLUMNS
                    + " FROM payments.notifications WHERE order_id = :order AND (:admin OR owner = :client)"
                    + " ORDER BY created_at, id")
            .param("order", order)
            .params(caller.ownerParams())
            .query(Notifications::recorded)
            .list();
    }

    /**
     * The payment's notifications the caller may see: none of another client's payment.
     */
    List<Recorded> forPayment(UUID payment, Caller caller) {
        return jdbc
            .sql("SELECT " + COLUMNS
                    + " FROM payments.notifications WHERE payment_id = :payment AND (:admin OR owner = :client)"
                    + " ORDER BY created_at, id")
            .param("payment", payment)
            .params(caller.ownerParams())
            .query(Notifications::recorded)
            .list();
    }

    private static Recorded recorded(ResultSet rs, int row) throws SQLException {
        return new Recorded(rs.getObject("id", UUID.class), rs.getString("event_type"),
                rs.getObject("event_key", UUID.class), rs.getObject("order_id", UUID.class),
                rs.getObject("payment_id", UUID.class), rs.getObject("refund_id", UUID.class),
                rs.getString("recipient"), rs.getString("channel"), rs.getString("template"), rs.getString("status"),
                rs.getInt("attempts"), rs.getString("last_error"), instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("sent_at")), instant(rs.getTimestamp("next_attempt_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

}
