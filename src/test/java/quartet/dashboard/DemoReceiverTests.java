package quartet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import webhooks.signing.WebhookSigner;

/**
 * The demo as a visitor gets it: the receiver subscribed at start, real payments
 * delivering to it with valid signatures, and the switches that make it fail. The suite's
 * own allow-list of loopback hosts is emptied here, so every delivery proves that demo
 * mode opens the receiver's URL, and only that, to webhooks.
 */
// Demo mode flushes clicks every second and subscribes a catch-all receiver: close this
// context after the
// class, so it cannot take other test classes' clicks or deliveries while they run.
@DirtiesContext
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        // As in the default configuration, the demo client is an admin (the suite's usual
        // key is not).
        properties = { "quartet.demo.enabled=true", "quartet.shortener.click-flush-interval=1s",
                "quartet.webhooks.allowed-private-hosts=", "quartet.platform.admin-clients=demo,ops" })
// After @SpringBootTest, so its clean-up runs while the context is still open: registered
// first,
// it ran after the context was closed and started a new one, which stayed up for the rest
// of the run.
@ExtendWith(DemoEndpointPerClass.class)
class DemoReceiverTests {

    private static final Duration DELIVERY = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DemoSeeding seeding;

    DemoHttp http;

    @BeforeEach
    void connect() {
        http = new DemoHttp(port);
    }

    @AfterEach
    void resetBehaviour() throws Exception {
        http.send("PUT", "/demo/webhooks/behaviour", "{\"failNext\":0,\"gone\":false}", Map.of());
    }

    @Test
    void subscribesTheReceiverToEveryEventAndReusesItOnTheNextStart() throws Exception {
        JsonNode endpoint = demoEndpoints().get(0);
        assertThat(endpoint.path("url").asString()).isEqualTo(http.origin() + "/demo/webhooks");
        assertThat(endpoint.path("eventTypes").valueStream().map(JsonNode::asString)).containsExactly("*");
        assertThat(endpoint.path("enabled").asBoolean()).isTrue();

        http.send("PATCH", "/api/webhooks/endpoints/" + endpoint.path("id").asString(), "{\"enabled\":false}",
                Map.of());
        seeding.seed(http.origin());

        List<JsonNode> after = demoEndpoints();
        assertThat(after).hasSize(1);
        assertThat(after.get(0).path("id").asString()).isEqualTo(endpoint.path("id").asString());
        assertThat(after.get(0).path("enabled").asBoolean()).isTrue();
    }

    @Test
    void receivesAPaymentsWebhooksWithValidSignatures() throws Exception {
        String payment = json.readTree(http.orderAndPay("pm_card_visa")).path("id").asString();

        await().atMost(DELIVERY)
            .untilAsserted(() -> assertThat(received())
                .filteredOn(entry -> entry.path("eventType").asString("").equals("payment.succeeded"))
                .anySatisfy(entry -> {
                    assertThat(entry.path("signatureValid").asBoolean()).isTrue();
                    assertThat(entry.path("answeredStatus").asInt()).isEqualTo(204);
                }));
        await().atMost(DELIVERY)
            .until(() -> received().stream()
                .anyMatch(entry -> "order.paid".equals(entry.path("eventType").asString(""))));
        assertThat(payment).isNotBlank();
    }

    @Test
    void refusesBadSignaturesAndStaleTimestamps() throws Exception {
        long now = Instant.now().getEpochSecond();
        String id = "msg_" + UUID.randomUUID();

        assertThat(deliver(id, now, secret(), "{\"type\":\"demo.valid\"}").statusCode()).isEqualTo(204);
        assertThat(deliver(id + "x", now, "whsec_" + Base64.getEncoder().encodeToString(new byte[32]),
                "{\"type\":\"demo.forged\"}")
            .statusCode()).isEqualTo(401);
        assertThat(deliver(id + "y", now - 301, secret(), "{\"type\":\"demo.stale\"}").statusCode()).isEqualTo(401);

        Map<String, JsonNode> byType = new HashMap<>();
        received().forEach(entry -> byType.putIfAbsent(entry.path("eventType").asString(""), entry));
        assertThat(byType.get("demo.valid").path("signatureValid").asBoolean()).isTrue();
        assertThat(byType.get("demo.valid").path("webhookId").asString()).isEqualTo(id);
        assertThat(byType.get("demo.forged").path("signatureValid").asBoolean()).isFalse();
        assertThat(byType.get("demo.forged").path("answeredStatus").asInt()).isEqualTo(401);
        assertThat(byType.get("demo.stale").path("signatureValid").asBoolean()).isFalse();
        assertThat(received().get(0).path("eventType").asString()).isEqualTo("demo.stale");
    }

    @Test
    void failsTheNextRequestsAndAnswersGoneWhenToldTo() throws Exception {
        HttpResponse<String> failing = http.send("PUT", "/demo/webhooks/behaviour", "{\"failNext\":2}", Map.of());
        assertThat(json.readTree(failing.body()).path("failNext").asInt()).isEqualTo(2);
        long now = Instant.now().getEpochSecond();

        assertThat(deliver("msg_a", now, secret(), "{}").statusCode()).isEqualTo(500);
        assertThat(deliver("msg_b", now, secret(), "{}").statusCode()).isEqualTo(500);
        assertThat(deliver("msg_c", now, secret(), "{}").statusCode()).isEqualTo(204);

        http.send("PUT", "/demo/webhooks/behaviour", "{\"gone\":true}", Map.of());
        assertThat(deliver("msg_d", now, secret(), "{}").statusCode()).isEqualTo(410);
        assertThat(json.readTree(http.get("/demo/webhooks/behaviour").body()).path("gone").asBoolean()).isTrue();

        http.send("PUT", "/demo/webhooks/behaviour", "{\"failNext\":0,\"gone\":false}", Map.of());
        assertThat(deliver("msg_e", now, secret(), "{}").statusCode()).isEqualTo(204);
    }

    @Test
    void stillListsWhatItReceivedAfterARestart() throws Exception {
        String id = "msg_" + UUID.randomUUID();
        assertThat(deliver(id, Instant.now().getEpochSecond(), secret(), "{\"type\":\"demo.before-restart\"}")
            .statusCode()).isEqualTo(204);

        DemoReceiver restarted = new DemoReceiver(jdbc, event -> {
        }, json);

        assertThat(restarted.received()).filteredOn(entry -> id.equals(entry.webhookId()))
            .singleElement()
            .satisfies(entry -> {
                assertThat(entry.eventType()).isEqualTo("demo.before-restart");
                assertThat(entry.signatureValid()).isTrue();
                assertThat(entry.answeredStatus()).isEqualTo(204);
            });
    }

    @Test
    void keepsOnlyTheLastRequestsAndStoresWhateverAVisitorSends() {
        DemoReceiver receiver = new DemoReceiver(jdbc, event -> {
        }, json);
        receiver.useSecret(secret());
        String junk = "msg_\u0000" + "x".repeat(10_000);
        for (int i = 0; i <= DemoReceiver.KEPT; i++) {
            assertThat(receiver.receive(i == DemoReceiver.KEPT ? junk : "msg_prune_" + i, "0", "v1,AAAA", new byte[0]))
                .isEqualTo(401);
        }

        List<DemoReceiver.Received> kept = receiver.received();
        assertThat(jdbc.sql("SELECT count(*) FROM demo_webhook_requests").query(Long.class).single())
            .isLessThanOrEqualTo(DemoReceiver.KEPT);
        assertThat(kept).hasSize(DemoReceiver.KEPT);
        // Deliveries of other tests may land meanwhile: only what they cannot change is
        // asserted.
        assertThat(kept).extracting(DemoReceiver.Received::webhookId)
            .doesNotContain("msg_prune_0")
            .anySatisfy(webhookId -> assertThat(webhookId).startsWith("msg_\uFFFDxxx").hasSize(200));
    }

    @Test
    void opensLoopbackToWebhooksForTheReceiverAloneNotForTheAppsOtherRoutesOrPorts() throws Exception {
        for (String url : List.of("http://127.0.0.1:" + port + "/actuator/health",
                "http://localhost:" + port + "/actuator/health", "http://localhost:" + port + "/demo/webhooks/received",
                "http://localhost:" + (port + 1) + "/demo/webhooks",
                "http://localhost:" + port + "/demo/webhooks/../../actuator/health",
                "http://[::1]:" + port + "/demo/webhooks")) {
            HttpResponse<String> refused = registerEndpoint(url);

            // 422 is how the endpoints API answers any refused destination
            // (docs/webhooks.md, SSRF guard).
            assertThat(refused.statusCode()).as(url + ": " + refused.body()).isEqualTo(422);
            assertThat(refused.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json.readTree(refused.body()).path("detail").asString()).as(url).contains("loopback address");
        }

        for (String url : List.of("http://127.0.0.1:" + port + "/demo/webhooks",
                "http://localhost:" + port + "/demo/webhooks")) {
            HttpResponse<String> accepted = registerEndpoint(url);

            assertThat(accepted.statusCode()).as(url + ": " + accepted.body()).isEqualTo(201);
            http.send("DELETE", "/api/webhooks/endpoints/" + json.readTree(accepted.body()).path("id").asString(), null,
                    Map.of());
        }
    }

    /**
     * An endpoint for a type nothing publishes, so it never takes another test's
     * deliveries.
     */
    private HttpResponse<String> registerEndpoint(String url) throws Exception {
        return http.post("/api/webhooks/endpoints", "{\"url\":\"" + url + "\",\"eventTypes\":[\"demo.test.only\"]}");
    }

    private HttpResponse<String> deliver(String id, long timestamp, String secret, String body) throws Exception {
        // A second, wrong signature first: receivers must accept any matching one.
        return http.send("POST", "/demo/webhooks", body,
                Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature",
                        "v1,AAAA " + WebhookSigner.sign(secret, id, timestamp, body)));
    }

    private String secret() {
        return jdbc.sql("SELECT secret FROM demo_webhook_receiver").query(String.class).single();
    }

    private List<JsonNode> received() throws Exception {
        return json.readTree(http.get("/demo/webhooks/received").body()).valueStream().toList();
    }

    @Test
    void showsTheDemoEveryClientsResourcesWhileItsReceiverGetsOnlyTheDemosOwnEvents() throws Exception {
        Map<String, String> alice = Map.of("X-API-Key", "alice-test-key");
        String order = json
            .readTree(http
                .send("POST", "/api/orders",
                        "{\"customerReference\":\"alice\",\"currency\":\"EUR\","
                                + "\"items\":[{\"description\":\"Pen\",\"quantity\":1,\"unitPrice\":300}]}",
                        alice)
                .body())
            .path("id")
            .asString();
        // The only loopback URL this demo context lets a client register is the
        // receiver's own (under another host name).
        String endpoint = json
            .readTree(http
                .send("POST", "/api/webhooks/endpoints",
                        "{\"url\":\"http://127.0.0.1:" + port + "/demo/webhooks\",\"eventTypes\":[\"alice.*\"]}", alice)
                .body())
            .path("id")
            .asString();
        assertThat(endpoint).isNotEmpty();
        String receiver = demoEndpoints().get(0).path("id").asString();

        assertThat(http.get("/api/orders?size=100").body()).contains(order);
        assertThat(http.get("/api/webhooks/endpoints/" + endpoint).statusCode()).isEqualTo(200);
        assertThat(http.send("GET", "/api/webhooks/endpoints/" + receiver, null, alice).statusCode()).isEqualTo(404);
        JsonNode alicesMessage = json.readTree(http
            .send("POST", "/api/webhooks/messages", "{\"eventType\":\"alice.hello\"," + "\"payload\":{}}", alice)
            .body());
        assertThat(alicesMessage.path("deliveries").valueStream().map(d -> d.path("endpointId").asString()))
            .containsExactly(endpoint);
        // Her endpoint shares the receiver's URL, not its secret: the receiver refuses
        // her delivery until it fails
        // for good. Wait for that, so it cannot arrive in another test's receiver log.
        String delivery = alicesMessage.path("deliveries").get(0).path("id").asString();
        await().atMost(DELIVERY)
            .until(() -> List.of("SUCCEEDED", "FAILED")
                .contains(json.readTree(http.send("GET", "/api/webhooks/deliveries/" + delivery, null, alice).body())
                    .path("status")
                    .asString()));
    }

    private List<JsonNode> demoEndpoints() throws Exception {
        return json.readTree(http.get("/api/webhooks/endpoints").body())
            .valueStream()
            .filter(endpoint -> DemoSeeding.DESCRIPTION.equals(endpoint.path("description").asString("")))
            .toList();
    }

}
