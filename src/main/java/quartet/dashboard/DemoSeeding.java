package quartet.dashboard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes sure, once the app is ready, that a webhook endpoint named Demo receiver,
 * subscribed to every event type, points at this instance's demo receiver, and that the
 * receiver knows its secret. It goes through the webhooks HTTP API like any client. The
 * API shows a secret only at creation, so the endpoint id and secret are kept in the
 * demo_webhook_receiver table: a second run on the same database reuses the endpoint (its
 * delivery history stays) and re-enables it if a 410 had disabled it. A different port
 * means a different URL, and the API cannot change an endpoint's URL: then the old
 * endpoint is deleted and a new one created.
 */
@Component
@ConditionalOnBooleanProperty(name = DemoModeEnvironment.ENABLED, matchIfMissing = true)
class DemoSeeding {

    static final String DESCRIPTION = "Demo receiver";

    private static final Log log = LogFactory.getLog(DemoSeeding.class);

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Stored(UUID endpointId, String url, String secret) {
    }

    private final DemoReceiver receiver;

    private final DemoSettings settings;

    private final JdbcClient jdbc;

    private final JsonMapper json;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    DemoSeeding(DemoReceiver receiver, DemoSettings settings, JdbcClient jdbc, JsonMapper json) {
        this.receiver = receiver;
        this.settings = settings;
        this.jdbc = jdbc;
        this.json = json;
    }

    @EventListener
    void onReady(ApplicationReadyEvent ready) {
        if (!(ready.getApplicationContext() instanceof WebServerApplicationContext web) || web.getWebServer() == null) {
            return; // no HTTP server (a mock web environment): nothing could deliver to
                    // the receiver
        }
        int port = web.getWebServer().getPort();
        try {
            seed("http://localhost:" + port);
        }
        catch (IOException | RuntimeException e) {
            log.warn("Could not subscribe the demo webhook receiver: " + e.getMessage());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void seed(String origin) throws IOException, InterruptedException {
        String url = origin + "/demo/webhooks";
        Optional<Stored> stored = jdbc
            .sql("SELECT endpoint_id, url, secret FROM demo_webhook_receiver ORDER BY created_at DESC LIMIT 1")
            .query((rs, row) -> new Stored(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3)))
            .optional();
        if (stored.isPresent()) {
            HttpResponse<String> existing = call(origin, "GET", "/api/webhooks/endpoints/" + stored.get().endpointId(),
                    null);
            if (existing.statusCode() == 200 && url.equals(json.readTree(existing.body()).path("url").asString())) {
                if (!json.readTree(existing.body()).path("enabled").asBoolean()) {
                    expect(call(origin, "PATCH", "/api/webhooks/endpoints/" + stored.get().endpointId(),
                            Map.of("enabled", true)), 200);
                }
                receiver.useSecret(stored.get().secret());
                log.info(
                        "Demo webhook receiver subscribed at " + url + " (endpoint " + stored.get().endpointId() + ")");
                return;
            }
        }
        removeOtherDemoEndpoints(origin);
        HttpResponse<String> created = expect(call(origin, "POST", "/api/webhooks/endpoints",
                Map.of("url", url, "description", DESCRIPTION, "eventTypes", new String[] { "*" })), 201);
        JsonNode endpoint = json.readTree(created.body());
        UUID id = UUID.fromString(endpoint.path("id").asString());
        String secret = endpoint.path("secret").asString();
        remember(id, url, secret);
        receiver.useSecret(secret);
        log.info("Demo webhook receiver subscribed at " + url + " (new endpoint " + id + ")");
    }

    private void remember(UUID id, String url, String secret) {
        // One statement, so the table never holds none or two.
        jdbc.sql("""
                WITH replaced AS (DELETE FROM demo_webhook_receiver)
                INSERT INTO demo_webhook_receiver (endpoint_id, url, secret) VALUES (?, ?, ?)""")
            .params(id, url, secret)
            .update();
    }

    private void removeOtherDemoEndpoints(String origin) throws IOException, InterruptedException {
        JsonNode endpoints = json.readTree(expect(call(origin, "GET", "/api/webhooks/endpoints", null), 200).body());
        for (JsonNode endpoint : endpoints) {
            if (DESCRIPTION.equals(endpoint.path("description").asString(null))) {
                call(origin, "DELETE", "/api/webhooks/endpoints/" + endpoint.path("id").asString(), null);
            }
        }
    }

    private HttpResponse<String> call(String origin, String method, String path, @Nullable Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path))
            .timeout(TIMEOUT)
            .header("X-API-Key", settings.apiKey());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        else {
            request.header("Content-Type", "application/json")
                .method(method, BodyPublishers.ofString(json.writeValueAsString(body)));
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().method() + " " + response.uri().getPath() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response;
    }

}
