package payments.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import quartet.QuartetApplication;

/**
 * The move from in-process listeners to the consumer group, on a database written by the
 * old version: its notifications keep their events (so the group does not notify them
 * again) and the removed listeners' incomplete publications are gone. Runs the payments
 * migrations into a scratch schema of the test database, up to the version before and
 * then to this one.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class NotificationsMigrationTests {

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void givesOldNotificationsTheirEventsAndDropsTheRemovedListenersPublications() {
        String schema = "notifications_migration_" + UUID.randomUUID().toString().substring(0, 8);
        migrate(schema, "2");
        UUID order = UUID.randomUUID();
        UUID payment = UUID.randomUUID();
        UUID refund = UUID.randomUUID();
        insertOld(schema, "order-paid", order, payment, "SENT");
        insertOld(schema, "payment-failed", order, UUID.randomUUID(), "FAILED");
        insertOld(schema, "refund-succeeded:" + refund, order, payment, "PENDING");
        UUID stale = publication("payments.notify-order-paid", null);
        UUID completed = publication("payments.notify-payment-failed", Instant.now());
        UUID someoneElses = publication("test.another-listener", null);

        try {
            migrate(schema, "4");

            List<Map<String, Object>> rows = jdbc
                .sql("SELECT event_type, event_key, template, status, attempts, refund_id, next_attempt_at FROM "
                        + schema + ".notifications WHERE order_id = ? ORDER BY event_type")
                .param(order)
                .query()
                .listOfRows();
            assertThat(rows).extracting(row -> row.get("event_type"))
                .containsExactly("order.paid", "payment.failed", "refund.succeeded");
            assertThat(rows.get(0)).containsEntry("event_key", order)
                .containsEntry("attempts", 1)
                .containsEntry("next_attempt_at", null);
            assertThat(rows.get(1)).containsEntry("status", "FAILED").containsEntry("attempts", 1);
            assertThat(rows.get(1).get("next_attempt_at")).as("an old failure is retried").isNotNull();
            assertThat(rows.get(2)).containsEntry("event_key", refund)
                .containsEntry("refund_id", refund)
                .containsEntry("template", "refund-succeeded")
                .containsEntry("attempts", 0);
            assertThatThrownBy(() -> insertNew(schema, "order.paid", order)).isInstanceOf(DuplicateKeyException.class);
            assertThat(publicationExists(stale)).as("incomplete, for a listener that is gone").isFalse();
            assertThat(publicationExists(completed)).isTrue();
            assertThat(publicationExists(someoneElses)).isTrue();
        }
        finally {
            jdbc.sql("DELETE FROM event_publication WHERE id IN (?, ?, ?)")
                .params(stale, completed, someoneElses)
                .update();
            jdbc.sql("DROP SCHEMA " + schema + " CASCADE").update();
        }
    }

    private void migrate(String schema, String version) {
        Flyway.configure()
            .dataSource(dataSource)
            .schemas(schema)
            .defaultSchema(schema)
            .createSchemas(true)
            .locations("classpath:db/migration/payments")
            .target(version)
            .load()
            .migrate();
    }

    private void insertOld(String schema, String template, UUID order, UUID payment, String status) {
        jdbc.sql("INSERT INTO " + schema
                + ".notifications (id, payment_id, order_id, recipient, channel, template, status, created_at, sent_at)"
                + " VALUES (?, ?, ?, 'cust', 'email', ?, ?, now(), now())")
            .params(UUID.randomUUID(), payment, order, template, status)
            .update();
    }

    private void insertNew(String schema, String eventType, UUID eventKey) {
        jdbc.sql("INSERT INTO " + schema
                + ".notifications (id, event_type, event_key, order_id, recipient, channel, template, status, created_at)"
                + " VALUES (?, ?, ?, ?, 'cust', 'email', 'x', 'PENDING', now())")
            .params(UUID.randomUUID(), eventType, eventKey, eventKey)
            .update();
    }

    private UUID publication(String listener, Instant completedAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql(
                "INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date, completion_date)"
                        + " VALUES (?, ?, 'payments.OrderPaid', '{}', now(), ?)")
            .params(id, listener, completedAt == null ? null : Timestamp.from(completedAt))
            .update();
        return id;
    }

    private boolean publicationExists(UUID id) {
        return jdbc.sql("SELECT count(*) FROM event_publication WHERE id = ?")
            .param(id)
            .query(Long.class)
            .single() == 1;
    }

}
