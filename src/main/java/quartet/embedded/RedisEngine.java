package quartet.embedded;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real redis-server binary (shipped in the jar) when it can run on this host, else an
 * in-process server that speaks the Redis protocol (jedis-mock) so the app still starts.
 */
final class RedisEngine implements Engine {

    static final String FORCE_IN_PROCESS = "quartet.embedded.redis.in-process";

    private final int port;

    private final String kind;

    private final AutoCloseable server;

    private RedisEngine(int port, String kind, AutoCloseable server) {
        this.port = port;
        this.kind = kind;
        this.server = server;
    }

    /**
     * The port is fixed up front; which kind of server runs is only known once it
     * started.
     */
    static Launch prepare(RunDirectory run, boolean forceInProcess, Log log) {
        int port = FreePorts.next();
        return new Launch(Service.REDIS, Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", port),
                () -> start(run, port, forceInProcess, log));
    }

    private static RedisEngine start(RunDirectory run, int port, boolean forceInProcess, Log log) {
        if (!forceInProcess) {
            try {
                return startBinary(run, port);
            }
            catch (IOException | RuntimeException e) {
                log.warn("Embedded redis-server cannot run on this host (" + e.getMessage()
                        + "); falling back to the in-process Redis protocol server");
            }
        }
        return startInProcess(port);
    }

    private static RedisEngine startBinary(RunDirectory run, int port) throws IOException {
        Path dir = run.newSubdirectory("redis");
        // The binary and its config go into this run's directory, which the next start
        // deletes after
        // a kill -9. embedded-redis's defaults would leave a redis-* folder with the 9 MB
        // binary and
        // an embedded-redis-server_*.conf in the JVM's temp folder (deleteOnExit never
        // runs then).
        File binary = ExecutableProvider.newJarResourceProvider(dir.toFile()).get();
        Path config = Files.writeString(dir.resolve("redis.conf"),
                String.join("\n", "bind 127.0.0.1", "port " + port, "save \"\"", "appendonly no", "dir " + quoted(dir),
                        // A pid file lets the next start stop this process if our JVM is
                        // killed.
                        "pidfile " + quoted(dir.resolve("redis-server.pid"))) + "\n");
        RedisServer server = new RedisServer(port, List.of(binary.getAbsolutePath(), config.toString()), false);
        server.start();
        return new RedisEngine(port, "redis-server", server::stop);
    }

    /**
     * A path as a redis.conf string, so a space in the temp folder's name does not split
     * it.
     */
    private static String quoted(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static RedisEngine startInProcess(int port) {
        try {
            var server = com.github.fppt.jedismock.RedisServer.newRedisServer(port, InetAddress.getLoopbackAddress())
                .start();
            return new RedisEngine(server.getBindPort(), "in-process", server::stop);
        }
        catch (IOException e) {
            throw new IllegalStateException("Neither redis-server nor the in-process Redis could start", e);
        }
    }

    @Override
    public Service service() {
        return Service.REDIS;
    }

    @Override
    public Map<String, Object> connectionProperties() {
        return Map.of("spring.data.redis.host", "127.0.0.1", "spring.data.redis.port", port,
                "quartet.embedded.redis.kind", kind);
    }

    @Override
    public void close() {
        try {
            server.close();
        }
        catch (Exception e) {
            throw new IllegalStateException("Embedded Redis did not stop cleanly", e);
        }
    }

}
