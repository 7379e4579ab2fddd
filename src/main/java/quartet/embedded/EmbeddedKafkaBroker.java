package quartet.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft Kafka broker (combined broker and controller) running in this JVM,
 * listening on 127.0.0.1 only. Its log and metadata live under a work directory: a
 * scratch one that it deletes on close, or a kept one ({@link #startKeepingData}) that
 * the next start opens again with the same cluster id and node id.
 *
 * <p>
 * Ports are chosen anew on every start, also on a kept log: the controller quorum is
 * static ({@code controller.quorum.voters}, read from the configuration, never from the
 * log), and on start the broker registers again with the controller under a new
 * incarnation, with the listeners it has now; clients learn them from the bootstrap
 * servers they are given. Kafka's own {@code .lock} in the log directory is an OS file
 * lock, which a {@code kill -9} releases.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int NODE_ID = 1;

    private static final String HOST = "127.0.0.1";

    private final KafkaRaftServer server;

    private final Path workDir;

    private final boolean keepsData;

    /**
     * Where clients connect: the listening port unless a forwarder stands in front of it.
     */
    private final int advertisedPort;

    private final Duration startupTime;

    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Path workDir, boolean keepsData, int advertisedPort,
            Duration startupTime) {
        this.server = server;
        this.workDir = workDir;
        this.keepsData = keepsData;
        this.advertisedPort = advertisedPort;
        this.startupTime = startupTime;
    }

    /**
     * Formats fresh storage under {@code workDir} and starts the broker; returns once it
     * serves requests.
     */
    public static EmbeddedKafkaBroker start(Path workDir) {
        int[] ports;
        try {
            ports = freePorts(2);
        }
        catch (IOException ex) {
            throw new IllegalStateException("No free ports for the embedded Kafka broker", ex);
        }
        return start(workDir, ports[0], ports[1]);
    }

    /**
     * As {@link #start(Path)}, on ports chosen by the caller (who has already handed them
     * out).
     */
    public static EmbeddedKafkaBroker start(Path workDir, int brokerPort, int controllerPort) {
        return start(workDir, brokerPort, controllerPort, brokerPort);
    }

    /**
     * As {@link #start(Path, int, int)}, but tells clients to connect to
     * {@code advertisedPort} on 127.0.0.1 instead of the port it listens on. Whatever
     * listens there (a forwarder that stages an outage) then carries every client
     * connection, not just the first one: clients connect where the metadata says the
     * broker is. A single node has no peer to replicate from, so the broker itself needs
     * nothing on that port.
     */
    public static EmbeddedKafkaBroker start(Path workDir, int brokerPort, int controllerPort, int advertisedPort) {
        return start(workDir, false, brokerPort, controllerPort, advertisedPort);
    }

    /**
     * Starts on the log kept under {@code dataDir} by an earlier start (formatting it
     * first only if it was never formatted), and keeps it on close and after a failed
     * start.
     */
    public static EmbeddedKafkaBroker startKeepingData(Path dataDir, int brokerPort, int controllerPort) {
        return start(dataDir, true, brokerPort, controllerPort, brokerPort);
    }

    private static EmbeddedKafkaBroker start(Path workDir, boolean keepData, int brokerPort, int controllerPort,
            int advertisedPort) {
        long began = System.nanoTime();
        KafkaRaftServer server = null;
        try {
            Files.createDirectories(workDir);
            KafkaConfig config = new KafkaConfig(brokerProperties(workDir, brokerPort, controllerPort, advertisedPort),
                    false);
            if (!isFormatted(config)) {
                format(config);
            }
            server = new KafkaRaftServer(config, Time.SYSTEM);
            // Blocks until the broker is registered with the controller and unfenced.
            server.startup();
            return new EmbeddedKafkaBroker(server, workDir, keepData, advertisedPort,
                    Duration.ofNanos(System.nanoTime() - began));
        }
        catch (Exception | LinkageError ex) {
            IllegalStateException failure = new IllegalStateException(
                    "Could not start the embedded Kafka broker in " + workDir + ": " + ex, ex);
            if (server != null) {
                try {
                    stop(server);
                }
                catch (RuntimeException stopFailure) {
                    failure.addSuppressed(stopFailure);
                }
            }
            if (!keepData) {
                WorkDirs.deleteAfterFailure(workDir, failure);
            }
            throw failure;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers(advertisedPort);
    }

    static String bootstrapServers(int brokerPort) {
        return HOST + ":" + brokerPort;
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
            stop(server);
        }
        finally {
            if (!keepsData) {
                WorkDirs.delete(workDir);
            }
        }
    }

    private static void stop(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    private static Map<String, Object> brokerProperties(Path workDir, int brokerPort, int controllerPort,
            int advertisedPort) {
        Map<String, Object> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("listeners",
                "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + advertisedPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", workDir.resolve("logs").toAbsolutePath().toString());

        // One node: every internal topic must fit on it.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("default.replication.factor", "1");
        props.put("auto.create.topics.enable", "true");
        props.put("group.initial.rebalance.delay.ms", "0");

        // Fail instead of hanging forever (the default) if the broker never gets ready.
        props.put("server.max.startup.time.ms", String.valueOf(Duration.ofMinutes(1).toMillis()));
        // Fast stop: nothing to hand over to another node.
        props.put("controlled.shutdown.enable", "false");
        // The cleaner allocates this buffer eagerly (default 128 MB of heap).
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));

        // One application on two cores: a thread or two per pool instead of a server's
        // dozens
        // (defaults 3 network, 8 I/O, 10 background, 4 group coordinator threads).
        props.put("num.network.threads", "1");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("group.coordinator.threads", "1");
        // Startup blocks until the controller unfences the broker, which takes heartbeats
        // (default every 2 s); on one node they cost nothing.
        props.put("broker.heartbeat.interval.ms", "200");
        // Each segment preallocates its index files (default 10 MB each); demo topics are
        // small.
        props.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        return props;
    }

    /**
     * Whether the log directory holds the meta.properties a finished format writes. A
     * directory without it was never formatted to the end, so no broker ever ran on it:
     * emptied and formatted again.
     */
    private static boolean isFormatted(KafkaConfig config) {
        return Files.exists(Path.of(config.metadataLogDir(), "meta.properties"));
    }

    /**
     * Writes meta.properties and the bootstrap metadata, as
     * {@code kafka-storage.sh format} does.
     */
    private static void format(KafkaConfig config) throws Exception {
        for (String directory : config.logDirs()) {
            WorkDirs.delete(Path.of(directory));
        }
        Formatter formatter = new Formatter().setPrintStream(WorkDirs.NULL_PRINT_STREAM)
            .setNodeId(NODE_ID)
            .setClusterId(Uuid.randomUuid().toString())
            .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setControllerListenerName("CONTROLLER")
            .setMetadataLogDirectory(config.metadataLogDir())
            .setDirectories(config.logDirs());
        formatter.run();
    }

    /** Binds all sockets before releasing any so that the ports differ. */
    private static int[] freePorts(int count) throws IOException {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getByName(HOST));
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        }
        finally {
            for (ServerSocket socket : sockets) {
                if (socket != null) {
                    socket.close();
                }
            }
        }
    }

}
