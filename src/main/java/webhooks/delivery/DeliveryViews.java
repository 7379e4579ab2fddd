package webhooks.delivery;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import webhooks.ownership.Caller;

/**
 * Reads deliveries with their attempts for the API: a client's own deliveries (those of
 * its messages to its endpoints), every client's for an admin. The owner is in every
 * query.
 */
@Component
class DeliveryViews {

    private static final String COLUMNS = """
            d.id, d.owner, d.message_id, d.endpoint_id, m.event_type, d.status, d.attempts, d.throttled_attempts, d.next_attempt_at, d.last_error,
            d.created_at, d.updated_at""";

    private final JdbcClient jdbc;

    DeliveryViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * One attempt as the API shows it.
     *
     * @param throttled the endpoint throttled it (429, or 503 with Retry-After): it does
     * not count against the delivery's maximum
     * @param traceId the trace the request was sent in (its {@code traceparent} header),
     * null when tracing was off
     */
    record AttemptView(int number, Instant attemptedAt, Integer statusCode, long latencyMillis, String error,
            String responseBody, boolean throttled, String traceId) {
    }

    /**
     * One delivery as the API shows it, its attempts oldest first.
     *
     * @param attemptCount attempts made, throttled ones included
     * @param throttledAttempts how many of them the endpoint throttled
     */
    record DeliveryView(UUID id, String owner, UUID messageId, UUID endpointId, String eventType, DeliveryStatus status,
            int attemptCount, int throttledAttempts, Instant nextAttemptAt, String lastError, Instant createdAt,
            Instant updatedAt, List<AttemptView> attempts) {

        DeliveryView with(List<AttemptView> attempts) {
            return new DeliveryView(id, owner, messageId, endpointId, eventType, status, attemptCount,
                    throttledAttempts, nextAttemptAt, lastError, createdAt, updatedAt, attempts);
        }
    }

    /** Filters for listing; null means any. */
    record Filter(UUID messageId, UUID endpointId, DeliveryStatus status, int limit) {
    }

    List<DeliveryView> list(Filter filter, Caller caller) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new java.util.HashMap<>(caller.ownerParams());
        conditions.add("(:admin OR d.owner = :client)");
        if (filter.messageId() != null) {
            conditions.add("d.message_id = :message");
            params.put("message", filter.messageId());
        }
        if (filter.endpointId() != null) {
            conditions.add("d.endpoint_id = :endpoint");
            params.put("endpoint", filter.endpointId());
        }
        if (filter.status() != null) {
            conditions.add("d.status = :status");
            params.put("status", filter.status().name());
        }
        params.put("limit", filter.limit());
        String where = "WHERE " + String.join(" AND ", conditions);
        List<DeliveryView> deliveries = jdbc
            .sql("SELECT " + COLUMNS + " FROM webhooks.deliveries d JOIN webhooks.messages m ON m.id = d.message_id "
                    + where + " ORDER BY d.created_at DESC, d.id LIMIT :limit")
            .params(params)
            .query(DeliveryViews::delivery)
            .list();
        return withAttempts(deliveries);
    }

    Optional<DeliveryView> find(UUID id, Caller caller) {
        return jdbc
            .sql("SELECT " + COLUMNS + " FROM webhooks.deliveries d JOIN webhooks.messages m ON m.id = d.message_id"
                    + " WHERE d.id = :id AND (:admin OR d.owner = :client)")
            .param("id", id)
            .params(caller.ownerParams())
            .query(DeliveryViews::delivery)
            .optional()
            .map(delivery -> withAttempts(List.of(delivery)).get(0));
    }

    private List<DeliveryView> withAttempts(List<DeliveryView> deliveries) {
        if (deliveries.isEmpty()) {
            return deliveries;
        }
        Map<UUID, List<AttemptView>> attempts = jdbc
            .sql("""
                    SELECT delivery_id, number, attempted_at, status_code, latency_ms, error, response_body, throttled, trace_id
                    FROM webhooks.attempts WHERE delivery_id IN (:ids) ORDER BY id
                    """)
            .param("ids", deliveries.stream().map(DeliveryView::id).toList())
            .query((rs, row) -> Map.entry(rs.getObject("delivery_id", UUID.class),
                    new AttemptView(rs.getInt("number"), instant(rs, "attempted_at"),
                            (Integer) rs.getObject("status_code"), rs.getLong("latency_ms"), rs.getString("error"),
                            rs.getString("response_body"), rs.getBoolean("throttled"), rs.getString("trace_id"))))
            .list()
            .stream()
            .collect(Collectors.groupingBy(Map.Entry::getKey,
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return deliveries.stream()
            .map(delivery -> delivery.with(attempts.getOrDefault(delivery.id(), List.of())))
            .toList();
    }

    private static DeliveryView delivery(ResultSet rs, int row) throws SQLException {
        return new DeliveryView(rs.getObject("id", UUID.class), rs.getString("owner"),
                rs.getObject("message_id", UUID.class), rs.getObject("endpoint_id", UUID.class),
                rs.getString("event_type"), DeliveryStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
                rs.getInt("throttled_attempts"), instant(rs, "next_attempt_at"), rs.getString("last_error"),
                instant(rs, "created_at"), instant(rs, "updated_at"), List.of());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

}
