package shortener;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP against the running app. Every redirect comes from a made-up client IP
 * (through the trusted loopback proxy), so the per-IP redirect rate limit never
 * interferes.
 */
public final class ShortenerHttp {

    public static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0";

    /** The suite's usual key, of the client demo (not an admin in tests). */
    private static final String DEMO_KEY = "demo-key-change-me";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private final int port;

    private final String apiKey;

    public ShortenerHttp(int port) {
        this(port, DEMO_KEY);
    }

    /**
     * Calls the API with the given key (alice-test-key, bob-test-key, ops-test-key in
     * tests).
     */
    public ShortenerHttp(int port, String apiKey) {
        this.port = port;
        this.apiKey = apiKey;
    }

    /**
     * A target nobody else uses, on a name that does not resolve (so no DNS answer
     * decides anything).
     */
    public static String uniqueTarget() {
        return "https://links.example/" + UUID.randomUUID();
    }

    /** An alias nobody else uses, even on a reused database. */
    public static String uniqueAlias() {
        return "t-" + UUID.randomUUID().toString().substring(0, 18);
    }

    public HttpResponse<String> post(String path, String json) {
        return send(api(path).header("Content-Type", "application/json").POST(BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> patch(String path, String json) {
        return send(
                api(path).header("Content-Type", "application/json").method("PATCH", BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> get(String path) {
        return send(api(path).GET());
    }

    public HttpResponse<byte[]> getBytes(String path) {
        try {
            return http.send(api(path).GET().build(), BodyHandlers.ofByteArray());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> delete(String path) {
        return send(api(path).DELETE());
    }

    /** Creates a link from the JSON body and returns its code. */
    public String create(String json) {
        HttpResponse<String> response = post("/api/links", json);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json(response).path("code").asString();
    }

    public HttpResponse<String> follow(String code) {
        return send(publicRequest("/" + code).header("User-Agent", BROWSER).GET());
    }

    public HttpResponse<String> follow(String code, String userAgent, String referer) {
        return send(publicRequest("/" + code).header("User-Agent", userAgent).header("Referer", referer).GET());
    }

    public CompletableFuture<HttpResponse<String>> followAsync(String code) {
        return http.sendAsync(publicRequest("/" + code).header("User-Agent", BROWSER).GET().build(),
                BodyHandlers.ofString());
    }

    public HttpResponse<String> details(String code) {
        return send(publicRequest("/" + code + "+").GET());
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    /** Asserts an RFC 9457 problem with the status and returns it. */
    public static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        return json(response);
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(uri(path)).header("X-API-Key", apiKey);
    }

    private HttpRequest.Builder publicRequest(String path) {
        var random = ThreadLocalRandom.current();
        String clientIp = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
        return HttpRequest.newBuilder(uri(path)).header("X-Forwarded-For", clientIp);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), BodyHandlers.ofString());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

}
