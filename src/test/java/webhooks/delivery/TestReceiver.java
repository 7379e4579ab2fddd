package webhooks.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import webhooks.signing.WebhookSigner;

/**
 * A real webhook receiver on loopback for tests: answers with scripted responses (204
 * once the script is used up, or a fixed fallback) and records every request with whether
 * its Standard Webhooks signature verified against the endpoint's secret.
 */
final class TestReceiver implements AutoCloseable {

    /**
     * A scripted answer.
     *
     * @param delay how long the receiver holds the request before answering (a hanging
     * receiver)
     */
    record Answer(int status, Map<String, String> headers, String body, Duration delay) {

        Answer(int status, Map<String, String> headers, String body) {
            this(status, headers, body, Duration.ZERO);
        }

        static Answer status(int status) {
            return new Answer(status, Map.of(), "answer " + status);
        }

        /**
         * Holds the request until {@link TestReceiver#release()} (or the delay), then
         * answers 204.
         */
        static Answer hangFor(Duration delay) {
            return new Answer(204, Map.of(), "late", delay);
        }
    }

    /** A request as received, and when it arrived by this receiver's clock. */
    record Received(String webhookId, long timestamp, String signature, String contentType, String body,
            boolean validSignature, Instant receivedAt) {

        /** Whether one of the request's signatures verifies with this secret. */
        boolean signedWith(String secret) {
            return WebhookSigner.verify(secret, webhookId, timestamp, body, signature);
        }
    }

    private final HttpServer server;

    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();

    private final List<Received> received = new CopyOnWriteArrayList<>();

    private final CountDownLatch released = new CountDownLatch(1);

    private volatile Answer fallback = Answer.status(204);

    private volatile String secret;

    TestReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", this::handle);
        // more than any bound, so a request over it would show
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void verifyWith(String secret) {
        this.secret = secret;
    }

    /**
     * The secret signatures are verified with (the endpoint's secret at registration).
     */
    String secret() {
        return secret;
    }

    TestReceiver thenAnswer(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    TestReceiver otherwiseAnswer(Answer answer) {
        this.fallback = answer;
        return this;
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        long seconds = timestamp == null ? -1 : Long.parseLong(timestamp);
        boolean valid = secret != null && id != null && signature != null
                && WebhookSigner.verify(secret, id, seconds, body, signature);
        received.add(new Received(id, seconds, signature, exchange.getRequestHeaders().getFirst("Content-Type"), body,
                valid, Instant.now()));
        Answer answer = script.poll();
        if (answer == null) {
            answer = fallback;
        }
        if (!answer.delay().isZero()) {
            try {
                released.await(answer.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        answer.headers().forEach(exchange.getResponseHeaders()::add);
        byte[] response = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), answer.status() == 204 ? -1 : response.length);
        if (answer.status() != 204) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response);
            }
        }
        exchange.close();
    }

    /** Lets every hanging request, and every later one, answer at once. */
    void release() {
        released.countDown();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }

}
