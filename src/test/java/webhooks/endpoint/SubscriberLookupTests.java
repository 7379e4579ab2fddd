package webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import quartet.QuartetApplication;

/**
 * Finding a message's subscribers among 10,000 endpoints of one client: the database's
 * rule ({@code webhooks.subscribers}, through which ingestion fans out) gives the same
 * answer as the matching rule applied to every endpoint, and finds it through the
 * event-type index.
 */
@SpringBootTest(classes = QuartetApplication.class)
class SubscriberLookupTests {

    private static final String[] TYPES = { "invoice.created", "invoice.paid", "invoice.voided", "customer.created",
            "customer.deleted", "shipment.sent", "shipment.lost", "rare.event" };

    @Autowired
    JdbcClient jdbc;

    private record Row(UUID id, List<String> filters, boolean enabled) {
    }

    @Test
    void findsExactlyTheSubscribedEnabledEndpointsAmongTenThousandThroughTheIndex() {
        String owner = "lookup-" + UUID.randomUUID();
        Random random = new Random(42);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            List<String> filters = new ArrayList<>();
            for (int n = 1 + random.nextInt(2); n > 0; n--) {
                // no endpoint names rare.event exactly
                String type = TYPES[random.nextInt(TYPES.length - 1)];
                filters.add(random.nextInt(4) == 0 ? type.substring(0, type.indexOf('.')) + ".*" : type);
            }
            if (i % 2_500 == 0) {
                filters = List.of("*");
            }
            rows.add(new Row(UUID.randomUUID(), filters, random.nextInt(10) != 0));
        }
        for (int from = 0; from < rows.size(); from += 1_000) {
            StringBuilder values = new StringBuilder();
            List<Object> params = new ArrayList<>();
            for (Row row : rows.subList(from, from + 1_000)) {
                values.append(values.isEmpty() ? "" : ",")
                    .append("(?, ?, 'http://127.0.0.1:9/lookup', ?, ?, 'whsec_x', now(), now())");
                params.add(row.id());
                params.add(owner);
                params.add(row.filters().toArray(String[]::new));
                params.add(row.enabled());
            }
            jdbc.sql(
                    "INSERT INTO webhooks.endpoints (id, owner, url, event_types, enabled, secret, created_at, updated_at) VALUES "
                            + values)
                .params(params)
                .update();
        }
        jdbc.sql("ANALYZE webhooks.endpoints").update();

        for (String type : TYPES) {
            List<UUID> expected = rows.stream()
                .filter(Row::enabled)
                .filter(row -> EventTypes.matches(row.filters(), type))
                .map(Row::id)
                .toList();
            assertThat(subscribers(owner, type)).as(type)
                .hasSameSizeAs(expected)
                .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(subscribers(owner, "rare.event")).as("only the catch-all endpoints take it")
            .hasSize(
                    (int) rows.stream().filter(Row::enabled).filter(row -> row.filters().equals(List.of("*"))).count());

        String plan = String.join("\n", jdbc.sql("""
                EXPLAIN SELECT * FROM webhooks.subscribers(?, CAST(? AS TEXT[]))
                """).params(owner, new String[] { "*", "rare.event", "rare.*" }).query(String.class).list());
        assertThat(plan).as(plan).contains("endpoints_event_types");
        jdbc.sql("DELETE FROM webhooks.endpoints WHERE owner = ?").param(owner).update();
    }

    private List<UUID> subscribers(String owner, String type) {
        return jdbc.sql("SELECT * FROM webhooks.subscribers(?, CAST(? AS TEXT[]))")
            .params(owner, EventTypes.filtersTaking(type).toArray(String[]::new))
            .query(UUID.class)
            .list();
    }

}
