package quartet.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP against the running test server, with the demo API key where asked. */
final class DemoHttp {

    static final String API_KEY = "demo-key-change-me";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    DemoHttp(int port) {
        this.port = port;
    }

    String origin() {
        return "http://localhost:" + port;
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, Map.of());
    }

    HttpResponse<String> post(String path, String json) throws Exception {
        return send("POST", path, json, Map.of());
    }

    HttpResponse<String> send(String method, String path, String json, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin() + path))
            .timeout(Duration.ofSeconds(20))
            .header("X-API-Key", API_KEY);
        // a header given here (another client's key) replaces the default
        headers.forEach(request::setHeader);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else {
            request.header("Content-Type", "application/json").method(method, BodyPublishers.ofString(json));
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    /**
     * Creates an order of 12.50 EUR and pays it with the given test card; returns the
     * payment's JSON.
     */
    String orderAndPay(String paymentMethod) throws Exception {
        HttpResponse<String> order = post("/api/orders",
                "{\"customerReference\":\"ada\",\"currency\":\"EUR\",\"items\":[{\"description\":\"Book\",\"quantity\":1,\"unitPrice\":1250}]}");
        String orderId = order.body().replaceAll("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
        return send("POST", "/api/payments",
                "{\"orderId\":\"" + orderId + "\",\"amount\":1250,\"currency\":\"EUR\",\"paymentMethod\":\""
                        + paymentMethod + "\"}",
                Map.of("Idempotency-Key", java.util.UUID.randomUUID().toString()))
            .body();
    }

}
