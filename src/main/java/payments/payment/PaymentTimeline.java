package payments.payment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Everything that happened to one payment, in order: the request and its Idempotency-Key, each
 * state transition and refund, each event publication (pending, failed or completed, from the
 * registry and its archive), dead-letter entries and notifications.
 */
@Component
class PaymentTimeline {

    /** One thing that happened. */
    record Entry(Instant at, String kind, String description) {
    }

    private final Payments payments;
    private final JdbcClient jdbc;

    PaymentTimeline(Payments payments, JdbcClient jdbc) {
        this.payments = payments;
        this.jdbc = jdbc;
    }

    List<Entry> of(UUID paymentId) {
        Payment payment = payments.findById(paymentId).orElseThrow(() -> new IllegalArgumentException("No payment " + paymentId));
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry(payment.createdAt(), "request", "payment of " + payment.amount() + " requested with Idempotency-Key "
                + payment.idempotencyKey()));
        payment.transitions().forEach(transition -> entries.add(new Entry(transition.at(), "transition",
                (transition.fromStatus() == null ? "" : transition.fromStatus() + " -> ") + transition.toStatus() + ": " + transition.reason())));
        payment.refunds().forEach(refund -> entries.add(new Entry(refund.at(), "refund",
                "refund " + refund.id() + " of " + payment.amount().currency().getCurrencyCode() + " " + refund.amountMinor() + " minor units")));
        String mentions = "%" + paymentId + "%";
        entries.addAll(jdbc.sql("""
                SELECT publication_date, event_type, listener_id, status, completion_date FROM event_publication WHERE serialized_event LIKE :id
                UNION ALL
                SELECT publication_date, event_type, listener_id, 'COMPLETED', completion_date FROM event_publication_archive WHERE serialized_event LIKE :id
                """)
            .param("id", mentions)
            .query((rs, row) -> new Entry(rs.getTimestamp(1).toInstant(), "event",
                    simpleName(rs.getString(2)) + " for " + rs.getString(3) + ": "
                            + (rs.getTimestamp(5) != null ? "completed " + rs.getTimestamp(5).toInstant() : String.valueOf(rs.getString(4)).toLowerCase())))
            .list());
        entries.addAll(jdbc.sql("SELECT dead_at, topic, error, requeued_at FROM payments.dead_letters WHERE payment_id = ?")
            .param(paymentId)
            .query((rs, row) -> new Entry(rs.getTimestamp(1).toInstant(), "dead-letter", "dead-lettered from " + rs.getString(2)
                    + (rs.getString(3) == null ? "" : ": " + rs.getString(3)) + (rs.getTimestamp(4) == null ? "" : "; requeued " + rs.getTimestamp(4).toInstant())))
            .list());
        entries.addAll(jdbc.sql("SELECT created_at, template, channel, status FROM payments.notifications WHERE payment_id = ?")
            .param(paymentId)
            .query((rs, row) -> new Entry(rs.getTimestamp(1).toInstant(), "notification",
                    rs.getString(2) + " via " + rs.getString(3) + ": " + rs.getString(4).toLowerCase()))
            .list());
        entries.sort(Comparator.comparing(Entry::at));
        return entries;
    }

    private static String simpleName(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }
}
