package quartet.resilience;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import quartet.embedded.EmbeddedKafkaBroker;

/**
 * A KRaft broker of one scenario's own that clients reach only through a
 * {@link TcpProxy}: it advertises the proxy's port, so the metadata sends every client
 * connection through the proxy and {@link TcpProxy#cut()} cuts Kafka for good, not just
 * the first bootstrap connection.
 */
final class ProxiedKafka implements AutoCloseable {

    private final TcpProxy proxy;

    private final EmbeddedKafkaBroker broker;

    ProxiedKafka() {
        int brokerPort;
        int controllerPort;
        Path workDir;
        try (ServerSocket brokerSocket = loopbackPort(); ServerSocket controllerSocket = loopbackPort()) {
            brokerPort = brokerSocket.getLocalPort();
            controllerPort = controllerSocket.getLocalPort();
            workDir = Files.createTempDirectory("quartet-proxied-kafka-");
            // Made while both ports are held, so the proxy cannot take either of them.
            proxy = new TcpProxy("kafka", "127.0.0.1", brokerPort);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            broker = EmbeddedKafkaBroker.start(workDir, brokerPort, controllerPort, proxy.port());
        }
        catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    /** Where clients bootstrap: the proxy. */
    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    TcpProxy proxy() {
        return proxy;
    }

    @Override
    public void close() {
        try {
            broker.close();
        }
        finally {
            proxy.close();
        }
    }

    private static ServerSocket loopbackPort() throws IOException {
        return new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

}
