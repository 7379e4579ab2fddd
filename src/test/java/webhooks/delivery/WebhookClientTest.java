package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import webhooks.WebhooksSettings;
import webhooks.endpoint.DestinationGuard;

/**
 * The delivery client against real local servers: it connects only to addresses the guard
 * checked at that very connection, and no receiver holds an attempt past the request
 * timeout or makes it read more than a bounded part of a body.
 */
class WebhookClientTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void neverConnectsToLoopbackWhenANameRebindsAfterTheCheck() throws Exception {
        TestReceiver receiver = track(new TestReceiver());
        // A rebinding DNS server: a public address for the first question, loopback ever
        // after.
        AtomicInteger questions = new AtomicInteger();
        DestinationGuard guard = DestinationGuard.withLookup(List.of(), host -> {
            byte[] address = questions.getAndIncrement() == 0 ? new byte[] { 93, (byte) 184, (byte) 216, 34 }
                    : new byte[] { 127, 0, 0, 1 };
            return new InetAddress[] { InetAddress.getByAddress(host, address) };
        });
        URI url = URI.create("http://rebinding.test:" + port(receiver) + "/hook");
        assertThatCode(() -> guard.check(url)).as("the check sees the public address").doesNotThrowAnyException();

        AttemptResult result = track(client(guard)).send(request(url));

        assertThat(result.statusCode()).isNull();
        assertThat(result.error()).startsWith("refused: ").contains("rebinding.test").contains("loopback");
        assertThat(questions).as("the connection asked again, and was refused what it got").hasValue(2);
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void connectsToExactlyTheAddressTheGuardResolved() throws Exception {
        TestReceiver receiver = track(new TestReceiver());
        // The name exists only in this lookup: the request can only arrive through the
        // address it returned.
        DestinationGuard guard = DestinationGuard.withLookup(List.of("receiver.test"),
                host -> new InetAddress[] { InetAddress.getByAddress(host, new byte[] { 127, 0, 0, 1 }) });

        AttemptResult result = track(client(guard))
            .send(request(URI.create("http://receiver.test:" + port(receiver) + "/hook")));

        assertThat(result.statusCode()).isEqualTo(204);
        assertThat(result.error()).isNull();
        assertThat(receiver.received()).hasSize(1);
        assertThat(receiver.received().get(0).webhookId()).isEqualTo("msg_test");
        assertThat(receiver.received().get(0).contentType()).isEqualTo("application/json");
    }

    @Test
    void checksIpLiteralsAtConnectTimeToo() throws Exception {
        TestReceiver receiver = track(new TestReceiver());
        DestinationGuard guard = DestinationGuard.withLookup(List.of(), DestinationGuard.HostLookup.SYSTEM);

        AttemptResult result = track(client(guard)).send(request(URI.create(receiver.url())));

        assertThat(result.error())
            .isEqualTo("refused: The host 127.0.0.1 resolves to a loopback address, which webhooks may not reach.");
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void cutsATricklingBodyAtTheRequestTimeoutAndRecordsATimeout() throws Exception {
        // Headers at once, then one byte a second: every read returns well within the
        // socket timeout.
        RawReceiver receiver = track(new RawReceiver((out, written) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < 100; i++) {
                out.write('x');
                out.flush();
                written.incrementAndGet();
                TimeUnit.SECONDS.sleep(1); // the trickle itself, not a wait for anything
            }
        }));

        long started = System.nanoTime();
        AttemptResult result = track(client(loopbackAllowed())).send(request(receiver.url()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.statusCode()).isNull();
        assertThat(result.error()).isEqualTo("timed out: the response body did not arrive within 3000 ms");
        assertThat(result.latencyMillis()).isGreaterThanOrEqualTo(REQUEST_TIMEOUT.toMillis());
        // Generous for a loaded machine, yet far below the 100 s the body would take.
        assertThat(took).isLessThan(REQUEST_TIMEOUT.plusSeconds(5));
        assertThat(receiver.bytesWritten()).isLessThan(100);
    }

    @Test
    void keepsOnlyTheFirst4KiBOfA10MBBodyWithoutReadingTheRest() throws Exception {
        int size = 10 * 1024 * 1024;
        RawReceiver receiver = track(new RawReceiver((out, written) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            for (int sent = 0; sent < size; sent += chunk.length) {
                out.write(chunk);
                written.addAndGet(chunk.length);
            }
            out.flush();
        }));
        WebhookClient client = track(client(loopbackAllowed()));
        // A small answer first, for scale on this machine.
        TestReceiver small = track(new TestReceiver());
        long baseline = client.send(request(URI.create(small.url()))).latencyMillis();

        long started = System.nanoTime();
        AttemptResult result = client.send(request(receiver.url()));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.responseBody()).isEqualTo("a".repeat(WebhookClient.KEPT_BODY_BYTES));
        assertThat(took).as("baseline %d ms", baseline).isLessThan(Duration.ofMillis(baseline + 1500));
        // The client hung up instead of reading on: the receiver could not get all of it
        // out.
        assertThat(receiver.awaitDone()).isInstanceOf(IOException.class);
        assertThat(receiver.bytesWritten()).isLessThan(size);
    }

    @Test
    void reusesTheConnectionAfterAShortBody() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<Integer> clientPorts = new CopyOnWriteArrayList<>();
        server.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        resources.add(() -> server.stop(0));
        WebhookClient client = track(client(loopbackAllowed()));
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");

        assertThat(client.send(request(url)).responseBody()).isEqualTo("ok");
        assertThat(client.send(request(url)).responseBody()).isEqualTo("ok");

        assertThat(clientPorts).hasSize(2);
        assertThat(clientPorts.get(1)).as("the same pooled connection").isEqualTo(clientPorts.get(0));
    }

    private static DestinationGuard loopbackAllowed() {
        return DestinationGuard.withLookup(List.of("127.0.0.1"), DestinationGuard.HostLookup.SYSTEM);
    }

    private static WebhookClient client(DestinationGuard guard) {
        WebhooksSettings settings = new WebhooksSettings(DataSize.ofKilobytes(256), Duration.ofSeconds(2),
                REQUEST_TIMEOUT, 4, List.of(), Duration.ofMillis(100), Duration.ofSeconds(2), 16, 4,
                Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofHours(24), 20,
                Duration.ofHours(24), 100, "webhooks-outbound", Duration.ofDays(30), Duration.ofHours(1), 0.5, 50);
        return new WebhookClient(settings, guard, new AttemptTracing(() -> Tracer.NOOP, () -> Propagator.NOOP));
    }

    private static WebhookClient.SignedRequest request(URI url) {
        return new WebhookClient.SignedRequest(url, "msg_test", 1_700_000_000L, "v1,c2lnbmF0dXJl",
                "{\"type\":\"test\"}", null);
    }

    private static int port(TestReceiver receiver) {
        return URI.create(receiver.url()).getPort();
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * A one-connection HTTP/1.1 server on loopback that reads a request and answers with
     * a script of raw bytes.
     */
    static final class RawReceiver implements AutoCloseable {

        interface Script {

            void answer(OutputStream out, AtomicLong written) throws Exception;

        }

        private final ServerSocket server;

        private final ExecutorService thread = Executors.newSingleThreadExecutor();

        private final AtomicLong written = new AtomicLong();

        private final java.util.concurrent.Future<Throwable> done;

        RawReceiver(Script script) throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            done = thread.submit(() -> {
                try (Socket socket = server.accept()) {
                    readRequest(socket.getInputStream());
                    script.answer(socket.getOutputStream(), written);
                    return null;
                }
                catch (Exception e) {
                    return e;
                }
            });
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook");
        }

        long bytesWritten() {
            return written.get();
        }

        /**
         * What ended the answer: null if it was sent in full, else the failure (the
         * client hung up).
         */
        Throwable awaitDone() throws Exception {
            return done.get(30, TimeUnit.SECONDS);
        }

        private static void readRequest(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    throw new IOException("request ended early");
                }
                head.append((char) next);
            }
            int length = head.toString()
                .lines()
                .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .mapToInt(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
                .findFirst()
                .orElse(0);
            in.readNBytes(length);
        }

        @Override
        public void close() throws IOException {
            thread.shutdownNow();
            server.close();
        }

    }

}
