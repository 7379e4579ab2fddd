package quartet.resilience;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Row counts of every module table and of the event publication registry, read in one
 * query, so a test can tell whether a request persisted anything.
 */
final class RowCounts {

    private final JdbcClient jdbc;

    private final String query;

    RowCounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
        List<String> tables = jdbc.sql("""
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_type = 'BASE TABLE'
                  AND (table_schema IN ('payments', 'webhooks', 'shortener')
                       OR (table_schema = 'public' AND table_name LIKE 'event_publication%'))
                  AND table_name <> 'flyway_schema_history'
                ORDER BY 1""").query(String.class).list();
        this.query = tables.stream()
            .map(table -> "SELECT '" + table + "' AS name, count(*) AS rows FROM " + table)
            .collect(Collectors.joining(" UNION ALL "));
    }

    Map<String, Long> snapshot() {
        Map<String, Long> counts = new LinkedHashMap<>();
        // A completed publication moves to the archive: count the registry as one.
        jdbc.sql(query)
            .query((rs, n) -> counts.merge(rs.getString("name").startsWith("public.event_publication")
                    ? "public.event_publication(+archive)" : rs.getString("name"), rs.getLong("rows"), Long::sum))
            .list();
        return counts;
    }

    /** The tables whose count changed between two snapshots, with before and after. */
    static Map<String, String> differences(Map<String, Long> before, Map<String, Long> after) {
        Map<String, String> changed = new LinkedHashMap<>();
        after.forEach((table, rows) -> {
            Long was = before.get(table);
            if (!rows.equals(was)) {
                changed.put(table, was + " -> " + rows);
            }
        });
        return changed;
    }

}
