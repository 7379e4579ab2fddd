package webhooks.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import webhooks.EndpointDisabled;
import webhooks.WebhooksSettings;

/**
 * Tracks each endpoint's throttle and streak of failed attempts, and disables an endpoint
 * that has failed {@code auto-disable-failures} times in a row over at least
 * {@code auto-disable-after}; a success ends the streak. Both conditions matter: many
 * failures in a few minutes are an outage worth riding out with retries, while a single
 * failure a day is not an endpoint that is gone. Every automatic disabling publishes
 * {@link EndpointDisabled}, exactly once, in the caller's transaction.
 */
@Component
public class EndpointHealth {

    private final JdbcClient jdbc;

    private final ApplicationEventPublisher events;

    private final int failuresToDisable;

    private final Duration failingToDisable;

    EndpointHealth(JdbcClient jdbc, ApplicationEventPublisher events, WebhooksSettings settings) {
        this.jdbc = jdbc;
        this.events = events;
        this.failuresToDisable = settings.autoDisableFailures();
        this.failingToDisable = settings.autoDisableAfter();
    }

    /**
     * Holds back every delivery to the endpoint for the pause it asked for (a 429, or a
     * 503 with Retry-After); a pause already longer stays.
     */
    public void throttle(UUID endpointId, Duration pause) {
        jdbc.sql(
                """
                        UPDATE webhooks.endpoints SET throttled_until = greatest(throttled_until, now() + :pause * interval '1 millisecond')
                        WHERE id = :id
                        """)
            .param("pause", pause.toMillis())
            .param("id", endpointId)
            .update();
    }

    /** Ends a failure streak; writes nothing when there is none, the common case. */
    public void attemptSucceeded(UUID endpointId) {
        jdbc.sql("""
                UPDATE webhooks.endpoints SET consecutive_failures = 0, failing_since = NULL
                WHERE id = ? AND consecutive_failures > 0
                """).param(endpointId).update();
    }

    /**
     * Counts a failed attempt and disables the endpoint once the streak is long enough in
     * both count and time.
     * @return true when this failure disabled the endpoint
     */
    public boolean attemptFailed(UUID endpointId) {
        record Streak(int failures, Instant since, boolean exhausted) {
        }
        Streak streak = jdbc
            .sql("""
                    UPDATE webhooks.endpoints
                    SET consecutive_failures = consecutive_failures + 1, failing_since = COALESCE(failing_since, now())
                    WHERE id = :id AND enabled
                    RETURNING consecutive_failures, failing_since,
                        consecutive_failures >= :failures AND failing_since <= now() - :span * interval '1 millisecond' AS exhausted
                    """)
            .param("id", endpointId)
            .param("failures", failuresToDisable)
            .param("span", failingToDisable.toMillis())
            .query((rs, row) -> new Streak(rs.getInt("consecutive_failures"),
                    rs.getObject("failing_since", OffsetDateTime.class).toInstant(), rs.getBoolean("exhausted")))
            .optional()
            .orElse(null);
        if (streak == null || !streak.exhausted()) {
            return false;
        }
        return disable(endpointId,
                "Disabled after " + streak.failures() + " failed attempts in a row since " + streak.since() + ".");
    }

    /**
     * Stops deliveries to an endpoint, saying why, and publishes {@link EndpointDisabled}
     * if it was enabled until now.
     * @return true when this call disabled it
     */
    public boolean disable(UUID endpointId, String reason) {
        return jdbc
            .sql("""
                    UPDATE webhooks.endpoints SET enabled = false, disabled_reason = :reason, disabled_at = now(), updated_at = now()
                    WHERE id = :id AND enabled
                    RETURNING url, disabled_at
                    """)
            .param("reason", reason)
            .param("id", endpointId)
            .query((rs, row) -> new EndpointDisabled(endpointId, rs.getString("url"), reason,
                    rs.getObject("disabled_at", OffsetDateTime.class).toInstant()))
            .optional()
            .map(disabled -> {
                events.publishEvent(disabled);
                return true;
            })
            .orElse(false);
    }

}
