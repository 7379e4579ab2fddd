package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What DispatchGo's integration tests share: the whole application over real HTTP, with
 * real PostgreSQL, the AMQP broker and real receivers on loopback, and helpers to drive
 * its API. Each test uses its own event type, so no other test's endpoint takes its
 * messages.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
abstract class WebhooksIntegrationTest {

    static final Duration DELIVERY = Duration.ofSeconds(30);

    final HttpClient http = HttpClient.newHttpClient();

    private final List<TestReceiver> receivers = new ArrayList<>();

    /** Endpoints to delete after the test. */
    final List<String> endpoints = new ArrayList<>();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void removeEndpointsAndReceivers() throws Exception {
        for (String endpoint : endpoints) {
            send("DELETE", "/api/webhooks/endpoints/" + endpoint, null, Map.of());
        }
        receivers.forEach(TestReceiver::close);
    }

    TestReceiver receiver() throws Exception {
        TestReceiver receiver = new TestReceiver();
        receivers.add(receiver);
        return receiver;
    }

    /**
     * Registers an endpoint for the receiver; returns its id and lets the receiver verify
     * with its secret.
     */
    String register(TestReceiver receiver, String eventType) throws Exception {
        return register(receiver, eventType, "");
    }

    /**
     * @param extraFields more JSON fields of the new endpoint, each preceded by a comma
     */
    String register(TestReceiver receiver, String eventType, String extraFields) throws Exception {
        HttpResponse<String> created = post("/api/webhooks/endpoints",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"" + eventType + "\"]" + extraFields + "}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode endpoint = json.readTree(created.body());
        receiver.verifyWith(endpoint.path("secret").asString());
        endpoints.add(endpoint.path("id").asString());
        return endpoint.path("id").asString();
    }

    String firstDelivery(HttpResponse<String> accepted) throws Exception {
        assertThat(accepted.statusCode()).isEqualTo(202);
        return json.readTree(accepted.body()).path("deliveries").get(0).path("id").asString();
    }

    String message(String type, String payload) throws Exception {
        return firstDelivery(
                post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":" + payload + "}"));
    }

    JsonNode awaitDelivery(String delivery, String status) {
        return await().atMost(DELIVERY)
            .until(() -> json.readTree(get("/api/webhooks/deliveries/" + delivery).body()),
                    view -> view.path("status").asString().equals(status));
    }

    JsonNode endpoint(String id) throws Exception {
        return json.readTree(get("/api/webhooks/endpoints/" + id).body());
    }

    static String uniqueType() {
        return "test.t" + UUID.randomUUID().toString().replace("-", "") + ".happened";
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, Map.of());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, Map.of());
    }

    HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("X-API-Key", "demo-key-change-me")
            .header("Content-Type", "application/json")
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), BodyHandlers.ofString());
    }

    void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).path("status").asInt()).isEqualTo(status);
    }

    /**
     * Completed publications of an event type in the registry that mention the text
     * (completed ones are archived).
     */
    long completedPublications(String eventType, String mentioning) {
        return jdbc.sql("""
                SELECT count(*) FROM event_publication_archive
                WHERE event_type = :type AND serialized_event LIKE :text AND completion_date IS NOT NULL
                """).param("type", eventType).param("text", "%" + mentioning + "%").query(Long.class).single();
    }

}
