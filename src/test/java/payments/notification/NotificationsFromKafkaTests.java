package payments.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import payments.OrderPaid;
import payments.RefundFailed;
import payments.processing.SimulatedPaymentProvider;
import payments.FlowPayHttp;
import quartet.QuartetApplication;
import quartet.platform.messaging.TopicReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notifications as a Kafka consumer group, over the real broker, database and HTTP API:
 * once per event however often it is delivered, failed sends retried with backoff up to a
 * bound, and the topics replayed from a time. Other tests write to the same topics (and
 * other contexts in this JVM share the group), so every assertion is about this test's
 * own orders.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class NotificationsFromKafkaTests {

    private static final Duration PROCESSING = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RecordingNotificationSender sender;

    @Autowired
    KafkaTemplate<Object, Object> kafka;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void notifiesAPaidOrderOnceThroughTheConsumerGroup() throws Exception {
        Paid paid = payAnOrder();

        Map<String, Object> orderPaid = awaitNotification(paid.order(), "order-paid", "SENT");

        assertThat(orderPaid).containsEntry("event_type", "order.paid")
            .containsEntry("attempts", 1)
            .containsEntry("recipient", paid.customer())
            .containsEntry("payment_id", paid.payment());
        assertThat(awaitNotification(paid.order(), "payment-succeeded", "SENT")).containsEntry("event_type",
                "payment.succeeded");
        assertThat(templatesSentAbout(paid.order())).containsExactlyInAnyOrder("payment-succeeded", "order-paid");
        assertThat(jdbc.sql("SELECT count(*) FROM event_publication WHERE listener_id LIKE 'payments.notify-%'")
            .query(Long.class)
            .single()).as("no in-process notification listener any more").isZero();
    }

    @Test
    void sendsNothingAgainWhenTheSameEventIsDeliveredTwice() throws Exception {
        Paid paid = payAnOrder();
        awaitNotification(paid.order(), "order-paid", "SENT");
        OrderPaid again = new OrderPaid(paid.order(), paid.payment(), 1500, "EUR", paid.customer(), "demo");

        RecordMetadata first = produce("order.paid", paid.order(), again);
        RecordMetadata second = produce("order.paid", paid.order(), again);

        awaitConsumedByTheGroup(first, second);
        assertThat(templatesSentAbout(paid.order())).containsExactlyInAnyOrder("payment-succeeded", "order-paid");
        assertThat(notificationsOf(paid.order())).hasSize(2);
    }

    @Test
    void notifiesFromATopicNothingHadBeenWrittenToBefore() throws Exception {
        Paid paid = payAnOrder();
        UUID refund = UUID.randomUUID();

        produce("refund.failed", paid.order(),
                new RefundFailed(refund, paid.payment(), paid.order(), 500, "EUR", "declined by the bank", "demo"));

        Map<String, Object> refundFailed = awaitNotification(paid.order(), "refund-failed", "SENT");
        assertThat(refundFailed).containsEntry("event_key", refund).containsEntry("refund_id", refund);
        assertThat(sender.sentAbout(paid.order())).filteredOn(sent -> sent.template().equals("refund-failed"))
            .singleElement()
            .satisfies(sent -> assertThat(sent.refundId()).isEqualTo(refund));
    }

    @Test
    void deadLettersARecordThatIsNotItsTopicsEventAtOnceAndGoesOn() throws Exception {
        String key = UUID.randomUUID().toString();
        try (TopicReader deadLetters = TopicReader.of(kafkaAdmin,
                "payment.failed" + NotificationConsumer.DEAD_LETTER_SUFFIX)) {
            RecordMetadata garbage = kafka.send("payment.failed", key, "not an event".getBytes(StandardCharsets.UTF_8))
                .get()
                .getRecordMetadata();

            ConsumerRecord<String, String> deadLetter = await().atMost(PROCESSING)
                .until(() -> deadLetters.find(key), found -> found != null);

            assertThat(header(deadLetter, KafkaHeaders.ORIGINAL_TOPIC)).as("straight from the main topic, no retries")
                .isEqualTo("payment.failed");
            assertThat(header(deadLetter, KafkaHeaders.EXCEPTION_CAUSE_FQCN)).endsWith("UnreadableEvent");
            awaitConsumedByTheGroup(garbage);
        }
        Paid paid = payAnOrder();
        awaitNotification(paid.order(), "order-paid", "SENT");
    }

    @Test
    void retriesAFailedSendWithGrowingPausesUntilItGoesThrough() throws Exception {
        String customer = "cust-" + UUID.randomUUID();
        sender.failFirstSends(customer, 2);

        Paid paid = payAnOrder(customer);

        Map<String, Object> orderPaid = awaitNotification(paid.order(), "order-paid", "SENT");
        assertThat(orderPaid).containsEntry("attempts", 3);
        assertThat((String) orderPaid.get("last_error")).contains("mail server refused " + customer);
        List<RecordingNotificationSender.Call> calls = sender.callsAbout(paid.order())
            .stream()
            .filter(call -> call.notification().template().equals("order-paid"))
            .toList();
        assertThat(calls).extracting(RecordingNotificationSender.Call::failed).containsExactly(true, true, false);
        // test backoff: 100 ms after the first failure, 200 ms after the second (give or
        // take the job's 200 ms period)
        assertThat(Duration.between(calls.get(0).at(), calls.get(1).at()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(Duration.between(calls.get(1).at(), calls.get(2).at()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void leavesANotificationFailedOnceItsAttemptsAreUsedUpAndAReplayTriesItOnceMore() throws Exception {
        String customer = "cust-" + UUID.randomUUID();
        sender.failFor(customer);
        Instant before = Instant.now().minusSeconds(1);
        Paid paid = payAnOrder(customer);

        await().atMost(PROCESSING)
            .until(() -> notification(paid.order(), "order-paid")
                .filter(row -> row.get("status").equals("FAILED") && row.get("next_attempt_at") == null)
                .isPresent());
        Map<String, Object> failed = notification(paid.order(), "order-paid").orElseThrow();
        assertThat(failed).containsEntry("attempts", 3);
        assertThat((String) failed.get("last_error")).contains("mail server refused");
        await().during(Duration.ofSeconds(1))
            .atMost(Duration.ofSeconds(3))
            .until(() -> sender.callsAbout(paid.order())
                .stream()
                .filter(call -> call.notification().template().equals("order-paid"))
                .count() == 3);

        sender.recover(customer);
        JsonNode summary = replay(before);

        assertThat(summary.path("sent").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(notification(paid.order(), "order-paid").orElseThrow()).containsEntry("status", "SENT")
            .containsEntry("attempts", 4);
        assertThat(templatesSentAbout(paid.order())).containsExactlyInAnyOrder("payment-succeeded", "order-paid");
    }

    @Test
    void replaysFromBeforeANotificationAndSendsNothingNew() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        Paid paid = payAnOrder();
        awaitNotification(paid.order(), "order-paid", "SENT");
        awaitNotification(paid.order(), "payment-succeeded", "SENT");
        List<Map<String, Object>> rowsBefore = notificationsOf(paid.order());

        JsonNode summary = replay(before);

        // this test's payment.succeeded and order.paid at least (other tests' records are
        // in the window too)
        assertThat(summary.path("recordsRead").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(summary.path("alreadySent").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(summary.path("complete").asBoolean()).isTrue();
        assertThat(templatesSentAbout(paid.order())).containsExactlyInAnyOrder("payment-succeeded", "order-paid");
        assertThat(notificationsOf(paid.order())).isEqualTo(rowsBefore);
    }

    @Test
    void replaysALostSendAndOnlyThatOne() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        Paid paid = payAnOrder();
        awaitNotification(paid.order(), "order-paid", "SENT");
        awaitNotification(paid.order(), "payment-succeeded", "SENT");
        jdbc.sql("DELETE FROM payments.notifications WHERE order_id = ? AND template = 'order-paid'")
            .param(paid.order())
            .update();

        JsonNode summary = replay(before);

        assertThat(summary.path("sent").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(notification(paid.order(), "order-paid").orElseThrow()).containsEntry("status", "SENT");
        assertThat(templatesSentAbout(paid.order())).containsExactlyInAnyOrder("payment-succeeded", "order-paid",
                "order-paid");
    }

    @Test
    void listsTheNotificationsOfAnOrderAndOfAPayment() throws Exception {
        Paid paid = payAnOrder();
        awaitNotification(paid.order(), "order-paid", "SENT");
        awaitNotification(paid.order(), "payment-succeeded", "SENT");

        JsonNode byOrder = json.readTree(get("/api/notifications?orderId=" + paid.order()).body());
        JsonNode byPayment = json.readTree(get("/api/notifications?paymentId=" + paid.payment()).body());

        assertThat(byOrder.valueStream().map(n -> n.path("template").asString()))
            .containsExactlyInAnyOrder("payment-succeeded", "order-paid");
        assertThat(byOrder.valueStream().map(n -> n.path("status").asString())).containsOnly("SENT");
        assertThat(byPayment).isEqualTo(byOrder);
        assertProblem(get("/api/notifications"), 400);
    }

    @Test
    void refusesAReplayWithoutAValidPastTime() throws Exception {
        assertProblem(post("/api/notifications/replay", "{}"), 400);
        assertProblem(post("/api/notifications/replay", "{\"since\":\"yesterday\"}"), 400);
        assertProblem(post("/api/notifications/replay", "{\"since\":\"" + Instant.now().plusSeconds(3600) + "\"}"),
                400);
        assertProblem(post("/api/notifications/replay", ""), 400);
        HttpResponse<String> anonymous = http
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/notifications/replay"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"since\":\"" + Instant.now() + "\"}"))
                .build(), BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        // A replay serves every client's customers: an operator's decision, refused to a
        // client that is not an admin.
        assertProblem(post("/api/notifications/replay", "{\"since\":\"" + Instant.now() + "\"}"), 403);
    }

    private record Paid(UUID order, UUID payment, String customer) {
    }

    private Paid payAnOrder() throws Exception {
        return payAnOrder("cust-" + UUID.randomUUID());
    }

    private Paid payAnOrder(String customer) throws Exception {
        HttpResponse<String> placed = post("/api/orders",
                """
                        {"customerReference":"%s","currency":"EUR","items":[{"description":"Widget","quantity":1,"unitPrice":1500}]}
                        """
                    .formatted(customer));
        assertThat(placed.statusCode()).isEqualTo(201);
        UUID order = UUID.fromString(json.readTree(placed.body()).path("id").asString());
        HttpResponse<String> created = new FlowPayHttp(port).post("/api/payments",
                "{\"orderId\":\"%s\",\"amount\":1500,\"currency\":\"EUR\",\"paymentMethod\":\"%s\"}".formatted(order,
                        SimulatedPaymentProvider.APPROVED),
                UUID.randomUUID().toString());
        assertThat(created.statusCode()).isEqualTo(201);
        return new Paid(order, UUID.fromString(json.readTree(created.body()).path("id").asString()), customer);
    }

    private Map<String, Object> awaitNotification(UUID order, String template, String status) {
        await().atMost(PROCESSING)
            .until(() -> notification(order, template).filter(row -> row.get("status").equals(status)).isPresent());
        return notification(order, template).orElseThrow();
    }

    private java.util.Optional<Map<String, Object>> notification(UUID order, String template) {
        return notificationsOf(order).stream().filter(row -> row.get("template").equals(template)).findFirst();
    }

    private List<Map<String, Object>> notificationsOf(UUID order) {
        return jdbc.sql("SELECT * FROM payments.notifications WHERE order_id = ? ORDER BY template")
            .param(order)
            .query()
            .listOfRows();
    }

    private List<String> templatesSentAbout(UUID order) {
        return sender.sentAbout(order).stream().map(NotificationSender.Notification::template).toList();
    }

    /**
     * Writes an event to its topic as the externalizer does: JSON bytes, keyed by order.
     */
    private RecordMetadata produce(String topic, UUID order, Object event) throws Exception {
        return kafka.send(topic, order.toString(), json.writeValueAsBytes(event)).get().getRecordMetadata();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private void awaitConsumedByTheGroup(RecordMetadata... records) {
        try (Admin admin = Admin.create(kafkaAdmin.getConfigurationProperties())) {
            await().atMost(PROCESSING).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(NotificationConsumer.GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
                for (RecordMetadata record : records) {
                    OffsetAndMetadata offset = committed.get(new TopicPartition(record.topic(), record.partition()));
                    if (offset == null || offset.offset() <= record.offset()) {
                        return false;
                    }
                }
                return true;
            });
        }
    }

    private JsonNode replay(Instant since) throws Exception {
        HttpResponse<String> response = new FlowPayHttp(port, FlowPayHttp.ADMIN_KEY).post("/api/notifications/replay",
                "{\"since\":\"" + since + "\"}", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return new FlowPayHttp(port).post(path, body, null);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return new FlowPayHttp(port).get(path);
    }

    private void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).path("status").asInt()).isEqualTo(status);
    }

}
