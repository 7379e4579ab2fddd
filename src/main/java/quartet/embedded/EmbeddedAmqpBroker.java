package quartet.embedded;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.BrokerImpl;
import org.apache.qpid.server.model.Port;
import org.apache.qpid.server.model.State;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.port.AmqpPort;
import org.jspecify.annotations.Nullable;

/**
 * An AMQP 0-9-1 broker (Apache Qpid Broker-J, in-memory) running in this JVM on
 * 127.0.0.1, with one user and a virtual host that answers to / and any other name.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

    static final String USERNAME = "guest";
    static final String PASSWORD = "guest";

    // Port 0 (the default): Qpid binds a free port itself, so no other process can take
    // it in between.
    // compact_memory_interval: a pending direct-memory check delays shutdown by up to
    // this (default 1 s).
    // housekeepingCheckPeriod: housekeeping walks every queued message to expire it;
    // Quartet sets no
    // expiry (delays live in PostgreSQL), and a 500 ms walk of a large backlog cost
    // ingestion CPU.
    private static final String INITIAL_CONFIG = """
            {
              "name": "quartet-embedded",
              "modelVersion": "9.1",
              "context": { "qpid.compact_memory_interval": "100" },
              "authenticationproviders": [ {
                "name": "plain",
                "type": "Plain",
                "secureOnlyMechanisms": [],
                "users": [ { "name": "%s", "type": "managed", "password": "%s" } ]
              } ],
              "ports": [ {
                "name": "AMQP",
                "type": "AMQP",
                "port": %d,
                "bindingAddress": "127.0.0.1",
                "protocols": [ "AMQP_0_9_1" ],
                "authenticationProvider": "plain",
                "virtualhostaliases": [
                  { "name": "nameAlias", "type": "nameAlias" },
                  { "name": "defaultAlias", "type": "defaultAlias" },
                  { "name": "anyName", "type": "patternMatchingAlias", "pattern": ".*", "virtualHostNode": "default" }
                ]
              } ],
              "virtualhostnodes": [ {
                "name": "default",
                "type": "Memory",
                "defaultVirtualHostNode": true,
                "virtualHostInitialConfiguration": "{\\"type\\": \\"Memory\\", \\"housekeepingCheckPeriod\\": 60000}"
              } ]
            }
            """;

    private final SystemLauncher launcher;

    private final Path workDir;

    private final int port;

    private final Duration startupTime;

    private boolean closed;

    private EmbeddedAmqpBroker(SystemLauncher launcher, Path workDir, int port, Duration startupTime) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.port = port;
        this.startupTime = startupTime;
    }

    /**
     * Starts a fresh broker whose files live under {@code workDir}; returns once the port
     * accepts connections.
     */
    public static EmbeddedAmqpBroker start(Path workDir) {
        return start(workDir, 0);
    }

    /** As {@link #start(Path)}, on a port chosen by the caller (0: any free port). */
    public static EmbeddedAmqpBroker start(Path workDir, int port) {
        long began = System.nanoTime();
        QpidUrlHandlers.register();
        BrokerCapture capture = new BrokerCapture();
        SystemLauncher launcher = new SystemLauncher(capture);
        try {
            Files.createDirectories(workDir);
            Path initialConfig = workDir.resolve("initial-config.json");
            Files.writeString(initialConfig, INITIAL_CONFIG.formatted(USERNAME, PASSWORD, port),
                    StandardCharsets.UTF_8);
            launcher.startup(systemConfig(workDir, initialConfig));
            Broker<?> broker = capture.broker();
            int boundPort = boundAmqpPort(broker);
            // Spring stops the broker in order; Qpid's own hook would race it at JVM
            // exit.
            removeShutdownHook(broker);
            return new EmbeddedAmqpBroker(launcher, workDir, boundPort, Duration.ofNanos(System.nanoTime() - began));
        }
        catch (Exception | LinkageError ex) {
            IllegalStateException failure = new IllegalStateException(
                    "Could not start the embedded AMQP broker in " + workDir + ": " + ex, ex);
            // Qpid's threads are not daemons: without this the JVM would never exit.
            try {
                launcher.shutdown();
            }
            catch (RuntimeException shutdownFailure) {
                failure.addSuppressed(shutdownFailure);
            }
            WorkDirs.deleteAfterFailure(workDir, failure);
            throw failure;
        }
    }

    public int port() {
        return port;
    }

    public String username() {
        return USERNAME;
    }

    public String password() {
        return PASSWORD;
    }

    /** How long {@link #start(Path)} took, for startup logs. */
    public Duration startupTime() {
        return startupTime;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            launcher.shutdown();
        }
        finally {
            WorkDirs.delete(workDir);
        }
    }

    private static Map<String, Object> systemConfig(Path workDir, Path initialConfig) {
        return Map.of("type", "Memory", "initialConfigurationLocation", initialConfig.toUri().toString(),
                "startupLoggedToSystemOut", false,
                // No preferences.json and nothing outside workDir.
                "preferenceStoreAttributes", Map.of("type", "Noop"), "context",
                Map.of("qpid.work_dir", workDir.toAbsolutePath().toString()));
    }

    private static int boundAmqpPort(Broker<?> broker) {
        for (Port<?> port : broker.getChildren(Port.class)) {
            if (port instanceof AmqpPort<?> amqp) {
                if (port.getState() != State.ACTIVE) {
                    throw new IllegalStateException("AMQP port is " + port.getState());
                }
                return amqp.getBoundPort();
            }
        }
        throw new IllegalStateException("Broker has no AMQP port");
    }

    /** Qpid adds its hook unconditionally and offers no API to remove it. */
    private static void removeShutdownHook(Broker<?> broker) throws ReflectiveOperationException {
        Field field = BrokerImpl.class.getDeclaredField("_shutdownHook");
        field.setAccessible(true);
        Runtime.getRuntime().removeShutdownHook((Thread) field.get(broker));
    }

    /**
     * Keeps the broker that {@link SystemLauncher} resolves, as the launcher does not
     * expose it.
     */
    private static final class BrokerCapture implements SystemLauncherListener {

        private volatile @Nullable SystemConfig<?> systemConfig;

        Broker<?> broker() {
            if (systemConfig == null) {
                throw new IllegalStateException("Qpid did not resolve a broker");
            }
            return (Broker<?>) systemConfig.getContainer();
        }

        @Override
        public void onContainerResolve(SystemConfig<?> config) {
            this.systemConfig = config;
        }

        @Override
        public void beforeStartup() {
        }

        @Override
        public void errorOnStartup(RuntimeException e) {
        }

        @Override
        public void afterStartup() {
        }

        @Override
        public void onContainerClose(SystemConfig<?> config) {
        }

        @Override
        public void onShutdown(int exitCode) {
        }

        @Override
        public void exceptionOnShutdown(Exception e) {
        }

    }

}
