package webhooks.endpoint;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import webhooks.ownership.Caller;

/**
 * The endpoints table, and what deliveries need to know about endpoints. An endpoint
 * belongs to the client that registered it: every method for the API takes the
 * {@link Caller} and puts the owner in its WHERE clause, so another client's endpoint is
 * not found and an admin finds any.
 */
@Repository
public class Endpoints {

    private static final String COLUMNS = """
            id, owner, url, description, event_types, enabled, disabled_reason, disabled_at, rate_limit_per_second, max_concurrent_attempts, consecutive_failures,
            failing_since, CASE WHEN throttled_until > now() THEN throttled_until END AS throttled_until,
            CASE WHEN previous_secret_expires_at > now() THEN previous_secret_expires_at END AS previous_secret_expires_at,
            created_at, updated_at""";

    private final JdbcClient jdbc;

    Endpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Endpoint create(String owner, String url, String description, List<String> eventTypes, boolean enabled,
            Integer rateLimitPerSecond, Integer maxConcurrentAttempts, String secret) {
        return jdbc
            .sql("""
                    INSERT INTO webhooks.endpoints (id, owner, url, description, event_types, enabled, rate_limit_per_second,
                        max_concurrent_attempts, secret, created_at, updated_at)
                    VALUES (:id, :owner, :url, :description, :types, :enabled, :rate, :concurrency, :secret, now(), now())
                    RETURNING %s
                    """
                .formatted(COLUMNS))
            .param("id", UUID.randomUUID())
            .param("owner", owner)
            .param("url", url)
            .param("description", description)
            .param("types", eventTypes.toArray(String[]::new))
            .param("enabled", enabled)
            .param("rate", rateLimitPerSecond, java.sql.Types.INTEGER)
            .param("concurrency", maxConcurrentAttempts, java.sql.Types.INTEGER)
            .param("secret", secret)
            .query(Endpoints::endpoint)
            .single();
    }

    List<Endpoint> all(Caller caller) {
        return jdbc
            .sql("SELECT " + COLUMNS
                    + " FROM webhooks.endpoints WHERE (:admin OR owner = :client) ORDER BY created_at, id")
            .params(caller.ownerParams())
            .query(Endpoints::endpoint)
            .list();
    }

    Optional<Endpoint> find(UUID id, Caller caller) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.endpoints WHERE id = :id AND (:admin OR owner = :client)")
            .param("id", id)
            .params(caller.ownerParams())
            .query(Endpoints::endpoint)
            .optional();
    }

    /**
     * Whether the caller's endpoint (any, for an admin) is enabled; empty when the caller
     * has no such endpoint.
     */
    public Optional<Boolean> enabled(UUID id, Caller caller) {
        return jdbc.sql("SELECT enabled FROM webhooks.endpoints WHERE id = :id AND (:admin OR owner = :client)")
            .param("id", id)
            .params(caller.ownerParams())
            .query(Boolean.class)
            .optional();
    }

    /**
     * Switches an endpoint on or off by hand. Either way the automatic disabling reason
     * and the failure streak are cleared: re-enabling gives the endpoint a fresh start.
     */
    Optional<Endpoint> setEnabled(UUID id, boolean enabled, Caller caller) {
        return jdbc
            .sql("""
                    UPDATE webhooks.endpoints
                    SET enabled = :enabled, disabled_reason = NULL, disabled_at = CASE WHEN :enabled THEN NULL ELSE now() END,
                        consecutive_failures = 0, failing_since = NULL, updated_at = now()
                    WHERE id = :id AND (:admin OR owner = :client) RETURNING %s
                    """
                .formatted(COLUMNS))
            .param("enabled", enabled)
            .param("id", id)
            .params(caller.ownerParams())
            .query(Endpoints::endpoint)
            .optional();
    }

    Optional<Endpoint> setRateLimit(UUID id, int rateLimitPerSecond, Caller caller) {
        return jdbc
            .sql("UPDATE webhooks.endpoints SET rate_limit_per_second = :rate, updated_at = now()"
                    + " WHERE id = :id AND (:admin OR owner = :client) RETURNING " + COLUMNS)
            .param("rate", rateLimitPerSecond)
            .param("id", id)
            .params(caller.ownerParams())
            .query(Endpoints::endpoint)
            .optional();
    }

    Optional<Endpoint> setMaxConcurrentAttempts(UUID id, int maxConcurrentAttempts, Caller caller) {
        return jdbc
            .sql("UPDATE webhooks.endpoints SET max_concurrent_attempts = :concurrency, updated_at = now()"
                    + " WHERE id = :id AND (:admin OR owner = :client) RETURNING " + COLUMNS)
            .param("concurrency", maxConcurrentAttempts)
            .param("id", id)
            .params(caller.ownerParams())
            .query(Endpoints::endpoint)
            .optional();
    }

    /**
     * The outcome of a rotation.
     *
     * @param secret the new secret, shown this once
     * @param previousSecretExpiresAt until when the replaced secret is still signed with
     */
    record Rotation(UUID endpointId, String secret, Instant previousSecretExpiresAt) {
    }

    /**
     * Replaces the secret in one statement: the current one becomes the previous one,
     * valid for the grace period. A rotation during another's grace period drops the
     * oldest secret.
     */
    Optional<Rotation> rotateSecret(UUID id, String newSecret, java.time.Duration grace, Caller caller) {
        return jdbc.sql("""
                UPDATE webhooks.endpoints
                SET previous_secret = secret, previous_secret_expires_at = now() + :grace * interval '1 millisecond',
                    secret = :secret, updated_at = now()
                WHERE id = :id AND (:admin OR owner = :client) RETURNING previous_secret_expires_at
                """)
            .param("grace", grace.toMillis())
            .param("secret", newSecret)
            .param("id", id)
            .params(caller.ownerParams())
            .query((rs, row) -> new Rotation(id, newSecret, instant(rs, "previous_secret_expires_at")))
            .optional();
    }

    boolean delete(UUID id, Caller caller) {
        return jdbc.sql("DELETE FROM webhooks.endpoints WHERE id = :id AND (:admin OR owner = :client)")
            .param("id", id)
            .params(caller.ownerParams())
            .update() == 1;
    }

    private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
        return new Endpoint(rs.getObject("id", UUID.class), rs.getString("owner"), rs.getString("url"),
                rs.getString("description"), strings(rs.getArray("event_types")), rs.getBoolean("enabled"),
                rs.getString("disabled_reason"), instant(rs, "disabled_at"),
                (Integer) rs.getObject("rate_limit_per_second"), (Integer) rs.getObject("max_concurrent_attempts"),
                rs.getInt("consecutive_failures"), instant(rs, "failing_since"), instant(rs, "throttled_until"),
                instant(rs, "previous_secret_expires_at"), instant(rs, "created_at"), instant(rs, "updated_at"), null);
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

}
