package quartet.platform.messaging;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Failed event publications as Spring Modulith's registry ({@code event_publication})
 * keeps them, joined with what it does not keep ({@code event_publication_failure}): the
 * reason of the last failure and where the budget of automatic attempts starts.
 */
@Component
class FailedPublications {

    /** A publication that failed, or is running again after it failed. */
    record FailedPublication(UUID id, String listenerId, String eventType, Instant publicationDate, String status,
            int attempts, int attemptsBaseline, Instant lastAttemptAt, @Nullable String lastReason,
            @Nullable Instant lastFailedAt, @Nullable Instant resubmittedByHandAt) {

        int attemptsInBudget() {
            return attempts - attemptsBaseline;
        }

        boolean failed() {
            return "FAILED".equals(status);
        }
    }

    /** What was recorded about one failure of a listener. */
    record RecordedFailure(UUID publicationId, String listenerId, String eventType, int attempts,
            int attemptsBaseline) {
    }

    /** A FAILED publication still within its budget, with what its backoff needs. */
    record Candidate(UUID id, Instant publicationDate, Instant lastAttemptAt, int attemptsInBudget) {
    }

    private static final String SELECT = """
            SELECT e.id, e.listener_id, e.event_type, e.publication_date, e.status, e.completion_attempts,
                   coalesce(e.last_resubmission_date, e.publication_date) AS last_attempt_at,
                   coalesce(f.attempts_baseline, 0) AS attempts_baseline, f.reason, f.failed_at, f.resubmitted_by_hand_at
            FROM event_publication e LEFT JOIN event_publication_failure f ON f.publication_id = e.id
            """;

    private final JdbcClient jdbc;

    private final EventSerializer serializer;

    private final TransactionTemplate ownTransaction;

    FailedPublications(JdbcClient jdbc, EventSerializer serializer, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.serializer = serializer;
        this.ownTransaction = new TransactionTemplate(transactions);
        // A listener fails after its own transaction rolled back, or in an after-commit
        // callback
        // of the publisher's: the record must commit on its own either way.
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Publications that are FAILED or have a failure on record and are not completed,
     * newest first.
     */
    List<FailedPublication> list(int limit) {
        return jdbc.sql(SELECT
                + " WHERE e.status = 'FAILED' OR f.publication_id IS NOT NULL ORDER BY e.publication_date DESC LIMIT :limit")
            .param("limit", limit)
            .query(FailedPublications::failedPublication)
            .list();
    }

    Optional<FailedPublication> find(UUID id) {
        return jdbc.sql(SELECT + " WHERE e.id = :id")
            .param("id", id)
            .query(FailedPublications::failedPublication)
            .optional();
    }

    boolean completed(UUID id) {
        return jdbc.sql("SELECT count(*) FROM event_publication_archive WHERE id = :id")
            .param("id", id)
            .query(Long.class)
            .single() > 0;
    }

    /**
     * Keeps the reason of a listener's failure on the incomplete publication of this
     * event to this listener. Modulith finds that publication the same way (listener id
     * and serialized event); of two identical ones, the one being processed is taken.
     */
    Optional<RecordedFailure> recordFailure(String listenerId, Object event, String reason) {
        String serialized = serializer.serialize(event).toString();
        return ownTransaction.execute(status -> jdbc
            .sql("""
                    WITH target AS (
                        SELECT id, event_type, completion_attempts FROM event_publication
                        WHERE listener_id = :listener AND serialized_event = :event AND completion_date IS NULL
                        ORDER BY (status = 'PROCESSING') DESC, publication_date LIMIT 1),
                    recorded AS (
                        INSERT INTO event_publication_failure (publication_id, listener_id, reason, failed_at, attempts)
                        SELECT id, :listener, :reason, now(), completion_attempts FROM target
                        ON CONFLICT (publication_id) DO UPDATE
                            SET reason = excluded.reason, failed_at = excluded.failed_at, attempts = excluded.attempts
                        RETURNING publication_id, attempts, attempts_baseline)
                    SELECT r.publication_id, t.event_type, r.attempts, r.attempts_baseline FROM recorded r JOIN target t ON t.id = r.publication_id
                    """)
            .param("listener", listenerId)
            .param("event", serialized)
            .param("reason", reason)
            .query((rs, row) -> new RecordedFailure(rs.getObject("publication_id", UUID.class), listenerId,
                    rs.getString("event_type"), rs.getInt("attempts"), rs.getInt("attempts_baseline")))
            .optional());
    }

    /** FAILED publications that have attempts left, oldest first. */
    List<Candidate> withinBudget(int maxAttempts) {
        return jdbc
            .sql("""
                    SELECT e.id, e.publication_date, coalesce(e.last_resubmission_date, e.publication_date) AS last_attempt_at,
                           e.completion_attempts - coalesce(f.attempts_baseline, 0) AS attempts_in_budget
                    FROM event_publication e LEFT JOIN event_publication_failure f ON f.publication_id = e.id
                    WHERE e.status = 'FAILED' AND e.completion_attempts - coalesce(f.attempts_baseline, 0) < :max
                    ORDER BY e.publication_date
                    """)
            .param("max", maxAttempts)
            .query((rs, row) -> new Candidate(rs.getObject("id", UUID.class), instant(rs, "publication_date"),
                    instant(rs, "last_attempt_at"), rs.getInt("attempts_in_budget")))
            .list();
    }

    /**
     * How many rows Modulith's resubmission must read to reach every publication
     * published up to {@code latest}: it reads FAILED publications oldest first, at most
     * its batch size minus the ones currently resubmitted, and only then applies our
     * filter, so given-up publications (which stay FAILED) would otherwise fill the batch
     * and starve newer ones for good.
     */
    int batchReaching(Instant latest) {
        return jdbc.sql("""
                SELECT count(*) FILTER (WHERE status = 'RESUBMITTED')
                     + count(*) FILTER (WHERE (status = 'FAILED' OR (status IS NULL AND completion_date IS NULL))
                                          AND publication_date <= :latest)
                FROM event_publication
                """).param("latest", Timestamp.from(latest)).query(Integer.class).single();
    }

    /**
     * Starts a fresh budget of automatic attempts at the publication's current attempt
     * count.
     */
    void startFreshBudget(FailedPublication publication) {
        jdbc.sql(
                """
                        INSERT INTO event_publication_failure (publication_id, listener_id, attempts, attempts_baseline, resubmitted_by_hand_at)
                        VALUES (:id, :listener, :attempts, :attempts, now())
                        ON CONFLICT (publication_id) DO UPDATE
                            SET attempts_baseline = excluded.attempts_baseline, resubmitted_by_hand_at = excluded.resubmitted_by_hand_at
                        """)
            .param("id", publication.id())
            .param("listener", publication.listenerId())
            .param("attempts", publication.attempts())
            .update();
    }

    /**
     * Drops what was recorded about publications that completed since (they left the
     * registry's table).
     */
    int forgetCompleted() {
        return jdbc.sql("""
                DELETE FROM event_publication_failure f
                WHERE NOT EXISTS (SELECT 1 FROM event_publication e WHERE e.id = f.publication_id)
                """).update();
    }

    private static FailedPublication failedPublication(ResultSet rs, int row) throws SQLException {
        return new FailedPublication(rs.getObject("id", UUID.class), rs.getString("listener_id"),
                rs.getString("event_type"), instant(rs, "publication_date"), rs.getString("status"),
                rs.getInt("completion_attempts"), rs.getInt("attempts_baseline"), instant(rs, "last_attempt_at"),
                rs.getString("reason"), instant(rs, "failed_at"), instant(rs, "resubmitted_by_hand_at"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

}
