package payments;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;

/**
 * FlowPay's HTTP API as a test client sees it: real requests to the test server, with the
 * demo API key or another client's.
 */
public final class FlowPayHttp {

    private static final HttpClient http = HttpClient.newHttpClient();

    private static final String DEMO_KEY = "demo-key-change-me";

    /** The test configuration's admin client. */
    public static final String ADMIN_KEY = "ops-test-key";

    private final int port;

    private final String apiKey;

    public FlowPayHttp(int port) {
        this(port, DEMO_KEY);
    }

    public FlowPayHttp(int port, String apiKey) {
        this.port = port;
        this.apiKey = apiKey;
    }

    /**
     * A JSON POST; the Idempotency-Key header is sent only when {@code idempotencyKey} is
     * not null.
     */
    public HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), BodyHandlers.ofString());
    }

    public HttpResponse<String> delete(String path) throws Exception {
        return http.send(request(path).DELETE().build(), BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", apiKey);
    }

}
