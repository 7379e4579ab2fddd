package quartet.bench;

import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * A local endpoint that answers 204 at once and notes when each webhook-id first arrived. The app's deliveries
 * and the raw-client baseline both hit it, so the receiver's cost is the same on both sides.
 */
final class WebhookReceiver implements AutoCloseable {

    final ConcurrentHashMap<String, Long> firstArrivalNanos = new ConcurrentHashMap<>();
    final AtomicLong requests = new AtomicLong();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);

    WebhookReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.createContext("/hook", exchange -> {
            long arrived = System.nanoTime();
            exchange.getRequestBody().readAllBytes();
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (id != null) {
                firstArrivalNanos.putIfAbsent(id, arrived);
            }
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
