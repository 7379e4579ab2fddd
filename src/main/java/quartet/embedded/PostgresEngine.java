package quartet.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;

/**
 * A real PostgreSQL server run from the binaries shipped in the jar (zonky). With a
 * persistent data directory the demo data survives restarts and the server runs with
 * fsync on; a scratch directory (tests) trades durability for speed.
 */
final class PostgresEngine implements Engine {

    private final EmbeddedPostgres postgres;

    private final Optional<Path> persistentDirectory;

    private PostgresEngine(EmbeddedPostgres postgres, Optional<Path> persistentDirectory) {
        this.postgres = postgres;
        this.persistentDirectory = persistentDirectory;
    }

    static Launch prepare(Optional<Path> persistentDirectory, RunDirectory run, Log log) {
        int port = FreePorts.next();
        return new Launch(Service.POSTGRESQL, properties(port), () -> start(persistentDirectory, port, run, log));
    }

    private static PostgresEngine start(Optional<Path> persistentDirectory, int port, RunDirectory run, Log log) {
        Path dataDirectory = persistentDirectory.map(dir -> dir.resolve("postgres"))
            .orElseGet(() -> run.newSubdirectory("postgres"));
        boolean persistent = persistentDirectory.isPresent();
        persistentDirectory.ifPresent(DataDirectory::claim);
        try {
            Files.createDirectories(dataDirectory);
            if (persistent) {
                stopPostgresLeftBehind(dataDirectory, log);
            }
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(!persistent)
                .setRegisterShutdownHook(false)
                .setPort(port)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100");
            if (persistent) {
                // The demo database must survive a host crash, not just a JVM exit.
                builder.setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
            }
            EmbeddedPostgres postgres = builder.start();
            return new PostgresEngine(postgres, persistentDirectory);
        }
        catch (IOException | RuntimeException e) {
            persistentDirectory.ifPresent(DataDirectory::release);
            throw new IllegalStateException(explain(e, dataDirectory), e);
        }
    }

    /**
     * A postgres of a Quartet killed with kill -9 still runs on the directory: stop it
     * (the claim says its owner is dead).
     */
    private static void stopPostgresLeftBehind(Path dataDirectory, Log log) {
        Path postmasterPid = dataDirectory.resolve("postmaster.pid");
        if (Files.exists(postmasterPid)) {
            RunDirectory.OrphanProcess.readPid(postmasterPid)
                .ifPresent(pid -> RunDirectory.OrphanProcess.stop(pid, log));
        }
    }

    private static String explain(Exception e, Path dataDirectory) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("cannot be run as root")) {
            return "Embedded PostgreSQL cannot start as root here: it needs user namespaces (unshare -U), which this "
                    + "host does not allow. Run Quartet as a non-root user, or point it at a PostgreSQL server with "
                    + "SPRING_DATASOURCE_URL.";
        }
        return "Embedded PostgreSQL failed to start in " + dataDirectory + ": " + message;
    }

    @Override
    public Service service() {
        return Service.POSTGRESQL;
    }

    @Override
    public Map<String, Object> connectionProperties() {
        return properties(postgres.getPort());
    }

    private static Map<String, Object> properties(int port) {
        return Map.of("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "spring.datasource.username", "postgres", "spring.datasource.password", "");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        }
        catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not stop cleanly", e);
        }
        finally {
            persistentDirectory.ifPresent(DataDirectory::release);
        }
    }

}
