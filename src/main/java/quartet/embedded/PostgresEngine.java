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
 * A real PostgreSQL server run from the binaries shipped in the jar (zonky). With a persistent
 * data directory the demo data survives restarts and the server runs with fsync on; a scratch
 * directory (tests) trades durability for speed.
 */
final class PostgresEngine implements Engine {

    private static final String OWNER_FILE = "quartet-owner.pid";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final boolean persistent;

    private PostgresEngine(EmbeddedPostgres postgres, Path dataDirectory, boolean persistent) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.persistent = persistent;
    }

    static Launch prepare(Optional<Path> persistentDirectory, RunDirectory run, Log log) {
        int port = FreePorts.next();
        return new Launch(Service.POSTGRESQL, properties(port), () -> start(persistentDirectory, port, run, log));
    }

    private static PostgresEngine start(Optional<Path> persistentDirectory, int port, RunDirectory run, Log log) {
        Path dataDirectory = persistentDirectory.map(dir -> dir.resolve("postgres")).orElseGet(() -> run.newSubdirectory("postgres"));
        boolean persistent = persistentDirectory.isPresent();
        try {
            Files.createDirectories(dataDirectory);
            if (persistent) {
                claimPersistentDirectory(dataDirectory, log);
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
            return new PostgresEngine(postgres, dataDirectory, persistent);
        }
        catch (IOException | RuntimeException e) {
            throw new IllegalStateException(explain(e, dataDirectory), e);
        }
    }

    /** Refuses a directory owned by a live Quartet; stops postgres left behind by a dead one. */
    private static void claimPersistentDirectory(Path dataDirectory, Log log) throws IOException {
        Path ownerFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + "." + OWNER_FILE);
        Optional<Long> owner = Files.exists(ownerFile) ? RunDirectory.OrphanProcess.readPid(ownerFile) : Optional.empty();
        long self = ProcessHandle.current().pid();
        if (owner.isPresent() && owner.get() != self && ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new IllegalStateException("The embedded PostgreSQL data directory " + dataDirectory
                    + " is in use by another Quartet (pid " + owner.get() + "). Stop it, or start this one with "
                    + "--quartet.embedded.data-directory=<another directory>.");
        }
        Path postmasterPid = dataDirectory.resolve("postmaster.pid");
        if (Files.exists(postmasterPid)) {
            RunDirectory.OrphanProcess.readPid(postmasterPid).ifPresent(pid -> RunDirectory.OrphanProcess.stop(pid, log));
        }
        Files.writeString(ownerFile, Long.toString(self));
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
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "");
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
            if (persistent) {
                try {
                    Files.deleteIfExists(dataDirectory.resolveSibling(dataDirectory.getFileName() + "." + OWNER_FILE));
                }
                catch (IOException ignored) {
                    // a stale owner file is harmless: the next start checks whether its pid is alive
                }
            }
        }
    }
}
