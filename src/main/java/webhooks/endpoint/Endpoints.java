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

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The endpoints table, and what deliveries need to know about endpoints. */
@Repository
public class Endpoints {

    private static final String COLUMNS = "id, url, description, event_types, enabled, disabled_reason, created_at, updated_at";

    private final JdbcClient jdbc;

    Endpoints(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Endpoint create(String url, String description, List<String> eventTypes, boolean enabled, String secret) {
        return jdbc.sql("""
                INSERT INTO webhooks.endpoints (id, url, description, event_types, enabled, secret, created_at, updated_at)
                VALUES (:id, :url, :description, :types, :enabled, :secret, now(), now())
                RETURNING %s
                """.formatted(COLUMNS))
            .param("id", UUID.randomUUID()).param("url", url).param("description", description)
            .param("types", eventTypes.toArray(String[]::new)).param("enabled", enabled).param("secret", secret)
            .query(Endpoints::endpoint).single();
    }

    List<Endpoint> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.endpoints ORDER BY created_at, id").query(Endpoints::endpoint).list();
    }

    Optional<Endpoint> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.endpoints WHERE id = ?").param(id).query(Endpoints::endpoint).optional();
    }

    Optional<Endpoint> setEnabled(UUID id, boolean enabled) {
        return jdbc.sql("""
                UPDATE webhooks.endpoints SET enabled = :enabled, disabled_reason = NULL, updated_at = now()
                WHERE id = :id RETURNING %s
                """.formatted(COLUMNS))
            .param("enabled", enabled).param("id", id).query(Endpoints::endpoint).optional();
    }

    boolean delete(UUID id) {
        return jdbc.sql("DELETE FROM webhooks.endpoints WHERE id = ?").param(id).update() == 1;
    }

    /** Enabled endpoints whose filters take the event type. */
    public List<UUID> subscribersOf(String eventType) {
        // Few endpoints per instance: filter in Java, where the wildcard rules live.
        return jdbc.sql("SELECT id, event_types FROM webhooks.endpoints WHERE enabled ORDER BY id")
            .query((rs, row) -> EventTypes.matches(strings(rs.getArray("event_types")), eventType) ? rs.getObject("id", UUID.class) : null)
            .list().stream().filter(java.util.Objects::nonNull).toList();
    }

    public Optional<DeliveryTarget> target(UUID endpointId) {
        return jdbc.sql("SELECT id, url, secret, enabled FROM webhooks.endpoints WHERE id = ?").param(endpointId)
            .query((rs, row) -> new DeliveryTarget(rs.getObject("id", UUID.class), java.net.URI.create(rs.getString("url")),
                    rs.getString("secret"), rs.getBoolean("enabled")))
            .optional();
    }

    /** Stops deliveries to an endpoint, saying why (the endpoint told us it is gone, for example). */
    public void disable(UUID endpointId, String reason) {
        jdbc.sql("UPDATE webhooks.endpoints SET enabled = false, disabled_reason = :reason, updated_at = now() WHERE id = :id")
            .param("reason", reason).param("id", endpointId).update();
    }

    private static Endpoint endpoint(ResultSet rs, int row) throws SQLException {
        return new Endpoint(rs.getObject("id", UUID.class), rs.getString("url"), rs.getString("description"),
                strings(rs.getArray("event_types")), rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                instant(rs, "created_at"), instant(rs, "updated_at"), null);
    }

    private static List<String> strings(Array array) throws SQLException {
        return Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
