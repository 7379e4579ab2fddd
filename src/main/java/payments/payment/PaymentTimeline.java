package payments.payment;

import static payments.PaymentTimelineEntry.details;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import payments.PaymentTimelineEntry;
import payments.PaymentTimelineSource;

/**
 * Everything that happened to one payment, in order: the request and its Idempotency-Key,
 * each state transition and refund, each event publication (pending, failed or completed,
 * from the registry and its archive, with the id of the trace it was published in), where
 * each externalized event went (Kafka topic, partition and offset; AMQP exchange and
 * routing key), dead-letter entries, notifications, and what other modules contribute
 * through {@link PaymentTimelineSource} (webhook messages and attempts).
 * <p>
 * Every lookup is by the payment's id on an index: the registry's expression index on the
 * event's {@code paymentId}, the GIN index on the externalization record's subject ids,
 * and the tables' payment columns. No payload is scanned for a substring.
 */
@Component
class PaymentTimeline {

    private final Payments payments;

    private final JdbcClient jdbc;

    private final ObjectProvider<PaymentTimelineSource> sources;

    PaymentTimeline(Payments payments, JdbcClient jdbc, ObjectProvider<PaymentTimelineSource> sources) {
        this.payments = payments;
        this.jdbc = jdbc;
        this.sources = sources;
    }

    /** The timeline of a payment the caller found (through an owner-filtered query). */
    List<PaymentTimelineEntry> of(Payment payment) {
        UUID paymentId = payment.id();
        List<PaymentTimelineEntry> entries = new ArrayList<>();
        entries.add(new PaymentTimelineEntry(payment.createdAt(), "request",
                "payment of " + payment.amount() + " requested with Idempotency-Key " + payment.idempotencyKey()));
        payment.transitions()
            .forEach(transition -> entries.add(new PaymentTimelineEntry(transition.at(), "transition",
                    (transition.fromStatus() == null ? "" : transition.fromStatus() + " -> ") + transition.toStatus()
                            + ": " + transition.reason())));
        payment.refunds().forEach(refund -> {
            String what = "refund " + refund.id() + " of " + payment.amount().currency().getCurrencyCode() + " "
                    + refund.amountMinor() + " minor units"
                    + (refund.reason() == null ? "" : " (" + refund.reason() + ")");
            entries.add(new PaymentTimelineEntry(refund.at(), "refund", what + " requested from the provider"));
            if (refund.settledAt() != null) {
                entries.add(new PaymentTimelineEntry(refund.settledAt(), "refund",
                        what + ": " + refund.status().name().toLowerCase()
                                + (refund.failureReason() == null ? "" : ", " + refund.failureReason())));
            }
        });
        entries.addAll(publications(paymentId));
        entries.addAll(sends(paymentId));
        entries.addAll(jdbc
            .sql("SELECT dead_at, topic, error, requeued_at FROM payments.dead_letters WHERE payment_id = ?")
            .param(paymentId)
            .query((rs, row) -> new PaymentTimelineEntry(rs.getTimestamp(1).toInstant(), "dead-letter",
                    "dead-lettered from " + rs.getString(2) + (rs.getString(3) == null ? "" : ": " + rs.getString(3))
                            + (rs.getTimestamp(4) == null ? "" : "; requeued " + rs.getTimestamp(4).toInstant())))
            .list());
        entries.addAll(jdbc
            .sql("SELECT created_at, template, channel, status FROM payments.notifications WHERE payment_id = ?")
            .param(paymentId)
            .query((rs, row) -> new PaymentTimelineEntry(rs.getTimestamp(1).toInstant(), "notification",
                    rs.getString(2) + " via " + rs.getString(3) + ": " + rs.getString(4).toLowerCase()))
            .list());
        sources.orderedStream().forEach(source -> entries.addAll(source.entriesFor(paymentId)));
        // Stable: entries at the same instant keep the order above (the request before
        // its first transition).
        entries.sort(Comparator.comparing(PaymentTimelineEntry::at));
        return entries;
    }

    /**
     * Every publication of a payments event about this payment, one per listener. The
     * expression and the predicate repeat those of the index (V5 of the platform
     * migrations), or PostgreSQL cannot use it.
     */
    private List<PaymentTimelineEntry> publications(UUID paymentId) {
        return jdbc
            .sql("""
                    SELECT id, publication_date, event_type, listener_id, status, completion_date, trace_parent FROM event_publication
                    WHERE event_type LIKE 'payments.%' AND ((serialized_event::jsonb) ->> 'paymentId') = :id
                    UNION ALL
                    SELECT id, publication_date, event_type, listener_id, 'COMPLETED', completion_date, trace_parent FROM event_publication_archive
                    WHERE event_type LIKE 'payments.%' AND ((serialized_event::jsonb) ->> 'paymentId') = :id
                    """)
            .param("id", paymentId.toString())
            .query((rs, row) -> {
                Instant completed = instant(rs, "completion_date");
                String status = completed != null ? "COMPLETED"
                        : rs.getString("status") == null ? "PUBLISHED" : rs.getString("status");
                return new PaymentTimelineEntry(instant(rs, "publication_date"), "event",
                        simpleName(rs.getString("event_type")) + " for " + rs.getString("listener_id") + ": "
                                + (completed != null ? "completed " + completed : status.toLowerCase()),
                        details("publicationId", rs.getObject("id", UUID.class), "eventType",
                                rs.getString("event_type"), "listener", rs.getString("listener_id"), "status", status,
                                "completedAt", completed, "traceId", traceId(rs.getString("trace_parent"))));
            })
            .list();
    }

    /**
     * Where each externalized event naming this payment went, as its broker confirmed it.
     */
    private List<PaymentTimelineEntry> sends(UUID paymentId) {
        return jdbc
            .sql("""
                    SELECT publication_id, event_type, broker, destination, routing_key, kafka_partition, kafka_offset, confirmed_at
                    FROM event_externalization WHERE subject_ids @> ARRAY[CAST(:id AS uuid)] ORDER BY id
                    """)
            .param("id", paymentId.toString())
            .query((rs, row) -> {
                String event = simpleName(rs.getString("event_type"));
                String broker = rs.getString("broker");
                String destination = rs.getString("destination");
                String key = rs.getString("routing_key");
                Integer partition = (Integer) rs.getObject("kafka_partition");
                Long offset = (Long) rs.getObject("kafka_offset");
                String description = "KAFKA".equals(broker)
                        ? event + " sent to Kafka topic " + destination + ", partition " + partition + ", offset "
                                + offset + (key == null ? "" : " (key " + key + ")")
                        : event + " confirmed by the AMQP broker: exchange " + destination + ", routing key " + key;
                return new PaymentTimelineEntry(instant(rs, "confirmed_at"), "broker", description,
                        details("eventType", rs.getString("event_type"), "publicationId",
                                rs.getObject("publication_id", UUID.class), "broker", broker, "destination",
                                destination, "key", key, "partition", partition, "offset", offset));
            })
            .list();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * The trace id of a W3C traceparent ({@code version-traceid-spanid-flags}), or null.
     */
    static @Nullable String traceId(@Nullable String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length == 4 && parts[1].length() == 32 ? parts[1] : null;
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

}
