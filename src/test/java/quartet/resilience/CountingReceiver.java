package quartet.resilience;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on loopback that records every request it received, per path, and
 * answers 204; under {@link #FAIL_FIRST} it answers the first request of each webhook-id
 * with 500, under {@link #GONE} every request with 410.
 */
final class CountingReceiver implements AutoCloseable {

    /**
     * Paths starting with this fail the first request of every webhook-id, so it is
     * retried.
     */
    static final String FAIL_FIRST = "/fail-first";

    /**
     * Paths starting with this answer 410 Gone, so the application disables their
     * endpoint.
     */
    static final String GONE = "/gone";

    /**
     * One request: the endpoint path, its webhook-id, when it arrived and the status
     * answered.
     */
    record Hit(String path, String webhookId, Instant at, int status) {
    }

    private final HttpServer server;

    private final List<Hit> hits = new CopyOnWriteArrayList<>();

    CountingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Hit> hits() {
        return List.copyOf(hits);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
            int status = 204;
            synchronized (hits) { // seen-before and record as one step
                if (path.startsWith(FAIL_FIRST) && hits.stream()
                    .noneMatch(
                            hit -> hit.path().equals(path) && java.util.Objects.equals(hit.webhookId(), webhookId))) {
                    status = 500;
                }
                else if (path.startsWith(GONE)) {
                    status = 410;
                }
                hits.add(new Hit(path, webhookId, Instant.now(), status));
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

}
