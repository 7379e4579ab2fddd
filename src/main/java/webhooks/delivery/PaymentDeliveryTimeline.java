package webhooks.delivery;

import static payments.PaymentTimelineEntry.details;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import payments.PaymentTimelineEntry;
import payments.PaymentTimelineSource;

/**
 * DispatchGo's part of a payment's timeline: each webhook message fanned out of the
 * payment's events, every attempt to deliver it (endpoint, status code, latency, error)
 * and each delivery that gave up. Messages are found by the payment id stored on them at
 * fan-out (an indexed column), never by their payload.
 */
@Component
class PaymentDeliveryTimeline implements PaymentTimelineSource {

    private final JdbcClient jdbc;

    PaymentDeliveryTimeline(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<PaymentTimelineEntry> entriesFor(UUID paymentId) {
        List<PaymentTimelineEntry> entries = new ArrayList<>();
        entries.addAll(jdbc.sql("""
                SELECT m.id, m.event_type, m.created_at, count(d.id) AS deliveries
                FROM webhooks.messages m LEFT JOIN webhooks.deliveries d ON d.message_id = m.id
                WHERE m.subject_id = ? GROUP BY m.id
                """).param(paymentId).query((rs, row) -> {
            long deliveries = rs.getLong("deliveries");
            return new PaymentTimelineEntry(instant(rs, "created_at"), "webhook-message",
                    "webhook message " + rs.getString("event_type") + " for " + deliveries
                            + (deliveries == 1 ? " endpoint" : " endpoints"),
                    details("messageId", rs.getObject("id", UUID.class), "eventType", rs.getString("event_type"),
                            "deliveries", deliveries));
        }).list());
        entries.addAll(jdbc.sql("""
                SELECT a.attempted_at, a.number, a.status_code, a.latency_ms, a.error,
                    d.id AS delivery_id, d.endpoint_id, e.url, m.id AS message_id, m.event_type
                FROM webhooks.messages m
                JOIN webhooks.deliveries d ON d.message_id = m.id
                JOIN webhooks.attempts a ON a.delivery_id = d.id
                JOIN webhooks.endpoints e ON e.id = d.endpoint_id
                WHERE m.subject_id = ? ORDER BY a.id
                """).param(paymentId).query((rs, row) -> {
            Integer status = (Integer) rs.getObject("status_code");
            long latency = rs.getLong("latency_ms");
            String error = rs.getString("error");
            String outcome = status != null ? status + " in " + latency + " ms"
                    : "no response after " + latency + " ms";
            return new PaymentTimelineEntry(instant(rs, "attempted_at"), "webhook-attempt",
                    rs.getString("event_type") + " to " + rs.getString("url") + ", attempt " + rs.getInt("number")
                            + ": " + outcome + (error == null ? "" : " (" + error + ")"),
                    details("messageId", rs.getObject("message_id", UUID.class), "deliveryId",
                            rs.getObject("delivery_id", UUID.class), "endpointId",
                            rs.getObject("endpoint_id", UUID.class), "url", rs.getString("url"), "eventType",
                            rs.getString("event_type"), "attempt", rs.getInt("number"), "statusCode", status,
                            "latencyMs", latency, "error", error));
        }).list());
        entries.addAll(jdbc.sql("""
                SELECT d.id, d.endpoint_id, d.attempts, d.last_error, d.updated_at, m.event_type
                FROM webhooks.messages m JOIN webhooks.deliveries d ON d.message_id = m.id
                WHERE m.subject_id = ? AND d.status = 'FAILED'
                """)
            .param(paymentId)
            .query((rs, row) -> new PaymentTimelineEntry(instant(rs, "updated_at"), "webhook-delivery",
                    rs.getString("event_type") + " delivery gave up after " + rs.getInt("attempts")
                            + " attempts and was dead-lettered"
                            + (rs.getString("last_error") == null ? "" : ": " + rs.getString("last_error")),
                    details("deliveryId", rs.getObject("id", UUID.class), "endpointId",
                            rs.getObject("endpoint_id", UUID.class), "status", DeliveryStatus.FAILED.name(), "attempts",
                            rs.getInt("attempts"))))
            .list());
        return entries;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

}
