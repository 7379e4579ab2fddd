package quartet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A module's migrations create its own schema, with its own Flyway history, beside the
 * platform's.
 */
@SpringBootTest
class ModuleSchemaMigrationsTests {

    @Autowired
    JdbcClient jdbc;

    @Test
    void migratesEachModuleIntoASchemaOfItsOwn() {
        assertThat(tableExists("migrationprobe", "probe")).isTrue();
        assertThat(tableExists("migrationprobe", "flyway_schema_history")).isTrue();
        assertThat(tableExists("public", "probe")).isFalse();
        assertThat(tableExists("public", "event_publication")).isTrue();
    }

    private boolean tableExists(String schema, String table) {
        return jdbc.sql("select count(*) from information_schema.tables where table_schema = ? and table_name = ?")
            .params(schema, table)
            .query(Long.class)
            .single() == 1;
    }

}
