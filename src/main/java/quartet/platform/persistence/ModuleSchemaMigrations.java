package quartet.platform.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Each module owns a PostgreSQL schema named after it, migrated from
 * {@code db/migration/<module>} with its own Flyway history, so modules version their
 * tables independently and never share one. Platform tables (the event publication
 * registry) come first from {@code db/migration/__root} into {@code public}.
 */
@Component
class ModuleSchemaMigrations implements FlywayMigrationStrategy {

    private static final String ROOT = "__root";

    @Override
    public void migrate(Flyway platform) {
        platform.migrate();
        for (String module : modulesWithMigrations()) {
            Flyway.configure()
                .configuration(platform.getConfiguration())
                .schemas(module)
                .defaultSchema(module)
                .createSchemas(true)
                .locations("classpath:db/migration/" + module)
                .load()
                .migrate();
        }
    }

    static SortedSet<String> modulesWithMigrations() {
        try {
            Resource[] scripts = new PathMatchingResourcePatternResolver()
                .getResources("classpath*:db/migration/*/*.sql");
            SortedSet<String> modules = new TreeSet<>();
            Arrays.stream(scripts)
                .map(ModuleSchemaMigrations::folderOf)
                .filter(Objects::nonNull)
                .filter(folder -> !ROOT.equals(folder))
                .forEach(modules::add);
            return modules;
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot list the modules' migrations", e);
        }
    }

    private static @Nullable String folderOf(Resource script) {
        try {
            String path = script.getURL().toString();
            String[] parts = path.split("/");
            return parts.length >= 2 ? parts[parts.length - 2] : null;
        }
        catch (IOException e) {
            return null;
        }
    }

}
