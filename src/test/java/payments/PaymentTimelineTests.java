package payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import payments.processing.SimulatedPaymentProvider;
import quartet.QuartetApplication;
import quartet.platform.messaging.TopicReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A payment's timeline follows the chain past the outbox: where Kafka put each event
 * (read back at that offset), every webhook attempt to a real receiver, and nothing of
 * another payment.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PaymentTimelineTests {

    private static final Duration CHAIN = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void showsTheKafkaOffsetOfEachEventAndEveryWebhookAttemptWithItsStatusCode() throws Exception {
        try (Receiver receiver = new Receiver(500)) {
            String endpoint = subscribe(receiver, "payment.succeeded");
            try {
                JsonNode order = placeOrder("cust-" + UUID.randomUUID());
                String payment = paid(order);

                JsonNode timeline = await().atMost(CHAIN)
                    .until(() -> timeline(payment),
                            entries -> attempts(entries).size() == 2 && !broker(entries, "PaymentSucceeded").isEmpty()
                                    && !broker(entries, "OrderPaid").isEmpty());

                JsonNode sent = broker(timeline, "PaymentSucceeded").get(0).path("details");
                assertThat(sent.path("broker").asString()).isEqualTo("KAFKA");
                assertThat(sent.path("destination").asString()).isEqualTo("payment.succeeded");
                ConsumerRecord<String, String> record = TopicReader.recordAt(kafkaAdmin, "payment.succeeded",
                        sent.path("partition").asInt(), sent.path("offset").asLong());
                assertThat(record).as("the record at the offset on the timeline").isNotNull();
                assertThat(json.readTree(record.value()).path("paymentId").asString()).isEqualTo(payment);
                assertThat(record.key()).isEqualTo(order.path("id").asString()).isEqualTo(sent.path("key").asString());
                assertThat(broker(timeline, "PaymentRequested")).singleElement()
                    .satisfies(request -> assertThat(request.path("details").path("destination").asString())
                        .isEqualTo("payment.requests"));
                assertThat(broker(timeline, "OrderPaid")).singleElement()
                    .satisfies(paid -> assertThat(paid.path("details").path("destination").asString())
                        .isEqualTo("order.paid"));

                List<JsonNode> attempts = attempts(timeline);
                assertThat(attempts).extracting(attempt -> attempt.path("details").path("statusCode").asInt())
                    .containsExactly(500, 204);
                assertThat(attempts).allSatisfy(attempt -> {
                    assertThat(attempt.path("details").path("url").asString()).isEqualTo(receiver.url());
                    assertThat(attempt.path("details").path("endpointId").asString()).isEqualTo(endpoint);
                    assertThat(attempt.path("details").path("latencyMs").isNumber()).isTrue();
                });
                assertThat(receiver.answered()).containsExactly(500, 204);
                assertThat(kinds(timeline)).contains("request", "transition", "event", "broker", "webhook-message");
                assertThat(timeline.valueStream().map(entry -> Instant.parse(entry.path("at").asString())).toList())
                    .isSorted();
            }
            finally {
                unsubscribe(endpoint);
            }
        }
    }

    @Test
    void showsTheWebhookMessageButNoAttemptsWhenNoEndpointSubscribes() throws Exception {
        assertThat(json.readTree(get("/api/webhooks/endpoints").body())
            .valueStream()
            .filter(endpoint -> endpoint.path("enabled").asBoolean())
            .flatMap(endpoint -> endpoint.path("eventTypes").valueStream().map(JsonNode::asString)))
            .as("precondition: no other test left an endpoint for payment events")
            .doesNotContain("*", "payment.*", "payment.succeeded");
        String payment = paid(placeOrder("cust-" + UUID.randomUUID()));

        JsonNode timeline = await().atMost(CHAIN)
            .until(() -> timeline(payment),
                    entries -> entries.valueStream()
                        .anyMatch(entry -> entry.path("kind").asString().equals("webhook-message")
                                && entry.path("details").path("eventType").asString().equals("payment.succeeded")));

        assertThat(timeline.valueStream().filter(entry -> entry.path("kind").asString().equals("webhook-message")))
            .allSatisfy(message -> assertThat(message.path("details").path("deliveries").asInt()).isZero());
        assertThat(attempts(timeline)).isEmpty();
    }

    @Test
    void keepsAnotherPaymentOffTheTimelineEvenWhenItsEventsMentionThisPaymentsId() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String endpoint = subscribe(receiver, "order.paid");
            try {
                String first = paid(placeOrder("cust-" + UUID.randomUUID()));
                // The second order's OrderPaid (event and webhook payload) carries the
                // first payment's id as text.
                String second = paid(placeOrder("cust-" + first));
                JsonNode secondTimeline = await().atMost(CHAIN)
                    .until(() -> timeline(second),
                            entries -> attempts(entries).size() == 1 && !broker(entries, "OrderPaid").isEmpty());
                JsonNode firstTimeline = await().atMost(CHAIN)
                    .until(() -> timeline(first),
                            entries -> attempts(entries).size() == 1 && !broker(entries, "OrderPaid").isEmpty());

                assertThat(publicationsOf(firstTimeline)).isNotEmpty()
                    .doesNotContainAnyElementsOf(publicationsOf(secondTimeline));
                assertThat(paymentIdsOfPublications(firstTimeline)).containsExactly(first);
                assertThat(broker(firstTimeline, "OrderPaid")).singleElement();
                assertThat(firstTimeline.valueStream()
                    .filter(entry -> entry.path("kind").asString().equals("webhook-message"))
                    .map(message -> message.path("details").path("eventType").asString()))
                    .containsExactlyInAnyOrder("payment.succeeded", "order.paid");
                assertThat(messagesOf(firstTimeline)).hasSize(2)
                    .doesNotContainAnyElementsOf(messagesOf(secondTimeline));
                assertThat(firstTimeline.toString()).doesNotContain(second);
            }
            finally {
                unsubscribe(endpoint);
            }
        }
    }

    /**
     * The payment ids inside the registry's events that the timeline's event and broker
     * entries name.
     */
    private Set<String> paymentIdsOfPublications(JsonNode timeline) {
        return publicationsOf(timeline).stream().map(id -> jdbc.sql("""
                SELECT (serialized_event::jsonb) ->> 'paymentId' FROM event_publication WHERE id = :id
                UNION ALL SELECT (serialized_event::jsonb) ->> 'paymentId' FROM event_publication_archive WHERE id = :id
                """).param("id", UUID.fromString(id)).query(String.class).single()).collect(Collectors.toSet());
    }

    private static Set<String> publicationsOf(JsonNode timeline) {
        return timeline.valueStream()
            .map(entry -> entry.path("details").path("publicationId"))
            .filter(JsonNode::isString)
            .map(JsonNode::asString)
            .collect(Collectors.toSet());
    }

    private static Set<String> messagesOf(JsonNode timeline) {
        return timeline.valueStream()
            .map(entry -> entry.path("details").path("messageId"))
            .filter(JsonNode::isString)
            .map(JsonNode::asString)
            .collect(Collectors.toSet());
    }

    private static List<JsonNode> broker(JsonNode timeline, String eventType) {
        return timeline.valueStream()
            .filter(entry -> entry.path("kind").asString().equals("broker")
                    && entry.path("details").path("eventType").asString().endsWith("." + eventType))
            .toList();
    }

    private static List<JsonNode> attempts(JsonNode timeline) {
        return timeline.valueStream().filter(entry -> entry.path("kind").asString().equals("webhook-attempt")).toList();
    }

    private static List<String> kinds(JsonNode timeline) {
        return timeline.valueStream().map(entry -> entry.path("kind").asString()).toList();
    }

    private JsonNode timeline(String payment) throws Exception {
        HttpResponse<String> response = get("/api/payments/" + payment + "/timeline");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private String subscribe(Receiver receiver, String eventType) throws Exception {
        HttpResponse<String> created = post("/api/webhooks/endpoints",
                "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"" + eventType + "\"]}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body()).path("id").asString();
    }

    private void unsubscribe(String endpoint) throws Exception {
        new FlowPayHttp(port).delete("/api/webhooks/endpoints/" + endpoint);
    }

    /**
     * Pays the order with a card the simulated provider approves; returns the payment id
     * once it SUCCEEDED.
     */
    private String paid(JsonNode order) throws Exception {
        HttpResponse<String> created = post("/api/payments",
                "{\"orderId\":\"%s\",\"amount\":%d,\"currency\":\"EUR\",\"paymentMethod\":\"%s\"}".formatted(
                        order.path("id").asString(), order.path("total").asLong(), SimulatedPaymentProvider.APPROVED),
                UUID.randomUUID().toString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String payment = json.readTree(created.body()).path("id").asString();
        await().atMost(CHAIN)
            .until(() -> jdbc.sql("select status from payments.payments where id = ?")
                .param(UUID.fromString(payment))
                .query(String.class)
                .single()
                .equals("SUCCEEDED"));
        return payment;
    }

    private JsonNode placeOrder(String customerReference) throws Exception {
        HttpResponse<String> response = post("/api/orders",
                """
                        {"customerReference":"%s","currency":"EUR","items":[{"description":"Widget","quantity":1,"unitPrice":1200}]}
                        """
                    .formatted(customerReference),
                null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
        return new FlowPayHttp(port).post(path, body, idempotencyKey);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return new FlowPayHttp(port).get(path);
    }

    /**
     * A merchant's webhook receiver on loopback: answers the scripted statuses in turn,
     * then 204.
     */
    private static final class Receiver implements AutoCloseable {

        private final HttpServer server;

        private final ExecutorService threads = Executors.newFixedThreadPool(2);

        private final int[] script;

        private final AtomicInteger requests = new AtomicInteger();

        private final List<Integer> answered = new CopyOnWriteArrayList<>();

        Receiver(int... script) throws IOException {
            this.script = script;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    int request = requests.getAndIncrement();
                    int status = request < this.script.length ? this.script[request] : 204;
                    answered.add(status);
                    exchange.sendResponseHeaders(status, -1);
                }
            });
            server.setExecutor(threads);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        List<Integer> answered() {
            return List.copyOf(answered);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }

    }

}
