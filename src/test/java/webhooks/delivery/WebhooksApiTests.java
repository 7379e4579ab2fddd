package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaAdmin;
import quartet.platform.messaging.TopicReader;
import tools.jackson.databind.JsonNode;
import webhooks.EndpointDisabled;
import webhooks.delivery.TestReceiver.Answer;

/**
 * DispatchGo's core over real HTTP: endpoints, signed deliveries, retries, dead letters,
 * redrive, idempotent ingestion and the payment events fan-out.
 */
class WebhooksApiTests extends WebhooksIntegrationTest {

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Test
    void createsEndpointsWithASecretShownOnceAndManagesThem() throws Exception {
        HttpResponse<String> created = post("/api/webhooks/endpoints",
                "{\"url\":\"http://localhost:9/hook\",\"description\":\"orders\",\"eventTypes\":[\"payment.*\",\"order.paid\"]}");

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode endpoint = json.readTree(created.body());
        String id = endpoint.path("id").asString();
        endpoints.add(id);
        String secret = endpoint.path("secret").asString();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(endpoint.path("enabled").asBoolean()).isTrue();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/webhooks/endpoints/" + id);

        JsonNode fetched = json.readTree(get("/api/webhooks/endpoints/" + id).body());
        assertThat(fetched.has("secret")).isFalse();
        assertThat(fetched.path("eventTypes").valueStream().map(JsonNode::asString)).containsExactly("payment.*",
                "order.paid");
        assertThat(get("/api/webhooks/endpoints").body()).contains(id).doesNotContain(secret);

        HttpResponse<String> disabled = send("PATCH", "/api/webhooks/endpoints/" + id, "{\"enabled\":false}", Map.of());
        assertThat(json.readTree(disabled.body()).path("enabled").asBoolean()).isFalse();
        HttpResponse<String> limited = send("PATCH", "/api/webhooks/endpoints/" + id, "{\"rateLimitPerSecond\":5}",
                Map.of());
        assertThat(json.readTree(limited.body()).path("rateLimitPerSecond").asInt()).isEqualTo(5);
        assertThat(json.readTree(limited.body()).path("enabled").asBoolean()).isFalse();
        assertProblem(send("PATCH", "/api/webhooks/endpoints/" + id, "{}", Map.of()), 400);
        assertProblem(send("PATCH", "/api/webhooks/endpoints/" + id, "{\"rateLimitPerSecond\":0}", Map.of()), 400);

        assertThat(send("DELETE", "/api/webhooks/endpoints/" + id, null, Map.of()).statusCode()).isEqualTo(204);
        assertProblem(get("/api/webhooks/endpoints/" + id), 404);
        assertProblem(send("DELETE", "/api/webhooks/endpoints/" + id, null, Map.of()), 404);
    }

    @Test
    void refusesEndpointsThatCouldReachInsideTheNetwork() throws Exception {
        assertProblem(
                post("/api/webhooks/endpoints", "{\"url\":\"http://169.254.169.254/latest\",\"eventTypes\":[\"*\"]}"),
                422);
        assertProblem(post("/api/webhooks/endpoints", "{\"url\":\"http://10.0.0.1/hook\",\"eventTypes\":[\"*\"]}"),
                422);
        assertProblem(post("/api/webhooks/endpoints", "{\"url\":\"ftp://example.com/hook\",\"eventTypes\":[\"*\"]}"),
                422);
        assertProblem(post("/api/webhooks/endpoints", "{\"url\":\"not a url\",\"eventTypes\":[\"*\"]}"), 400);
        assertProblem(post("/api/webhooks/endpoints", "{\"url\":\"http://localhost/hook\",\"eventTypes\":[\"pay*\"]}"),
                400);
        assertProblem(post("/api/webhooks/endpoints", "{\"url\":\"http://localhost/hook\",\"eventTypes\":[]}"), 400);
    }

    @Test
    void deliversOnceWithAValidSignature() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver();
        register(receiver, type);

        HttpResponse<String> accepted = post("/api/webhooks/messages",
                "{\"eventType\":\"" + type + "\",\"payload\":{\"orderId\":\"o-1\",\"amount\":1250}}");

        assertThat(accepted.statusCode()).isEqualTo(202);
        JsonNode message = json.readTree(accepted.body());
        assertThat(message.path("deliveries")).hasSize(1);
        String delivery = message.path("deliveries").get(0).path("id").asString();
        JsonNode done = awaitDelivery(delivery, "SUCCEEDED");
        assertThat(done.path("attempts")).hasSize(1);
        assertThat(done.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(204);

        assertThat(receiver.received()).singleElement().satisfies(request -> {
            assertThat(request.validSignature()).isTrue();
            assertThat(request.webhookId()).isEqualTo("msg_" + message.path("messageId").asString());
            assertThat(request.contentType()).isEqualTo("application/json");
            JsonNode body = json.readTree(request.body());
            assertThat(body.path("type").asString()).isEqualTo(type);
            assertThat(body.path("data").path("amount").asInt()).isEqualTo(1250);
        });
    }

    @Test
    void retriesWithBackoffUntilTheEndpointAnswersAndRecordsEveryAttempt() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().thenAnswer(Answer.status(500),
                new Answer(503, Map.of("Retry-After", "0"), "busy"), Answer.status(200));
        register(receiver, type);

        String delivery = firstDelivery(
                post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":[1,2,3]}"));

        JsonNode done = awaitDelivery(delivery, "SUCCEEDED");
        assertThat(done.path("attempts").valueStream().map(attempt -> attempt.path("statusCode").asInt()))
            .containsExactly(500, 503, 200);
        assertThat(done.path("attempts").get(1).path("responseBody").asString()).isEqualTo("busy");
        assertThat(receiver.received()).hasSize(3).allSatisfy(request -> assertThat(request.validSignature()).isTrue());
        assertThat(receiver.received().stream().map(TestReceiver.Received::webhookId).distinct()).hasSize(1);
    }

    @Test
    void disablesAnEndpointThatAnswersGoneAndPublishesEndpointDisabled() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().otherwiseAnswer(Answer.status(410));
        String endpoint = register(receiver, type);

        String delivery = firstDelivery(
                post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":{}}"));

        awaitDelivery(delivery, "FAILED");
        JsonNode disabled = json.readTree(get("/api/webhooks/endpoints/" + endpoint).body());
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("disabledReason").asString()).contains("410");
        assertThat(receiver.received()).hasSize(1);
        await().atMost(DELIVERY)
            .until(() -> completedPublications(EndpointDisabled.class.getName(), endpoint), count -> count == 1);
        assertThat(
                json.readTree(post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":{}}").body())
                    .path("deliveries"))
            .isEmpty();
    }

    @Test
    void neverPostsAgainWhenTheSameJobArrivesAfterSuccess() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver();
        register(receiver, type);
        String delivery = firstDelivery(
                post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":{\"n\":1}}"));
        awaitDelivery(delivery, "SUCCEEDED");

        for (int i = 0; i < 3; i++) {
            CorrelationData correlation = new CorrelationData();
            rabbit.convertAndSend(DeliveryQueues.WORK_EXCHANGE, DeliveryQueues.WORK_KEY,
                    new DeliveryRequested(List.of(UUID.fromString(delivery))), correlation);
            assertThat(correlation.getFuture().get(10, TimeUnit.SECONDS).ack()).isTrue();
        }

        // The duplicates are consumed within milliseconds; the count must stay at one
        // meanwhile.
        await().during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(() -> receiver.received().size() == 1);
        JsonNode after = json.readTree(get("/api/webhooks/deliveries/" + delivery).body());
        assertThat(after.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(after.path("attempts")).hasSize(1);
    }

    @Test
    void resumesADeliveryWhoseWorkerDiedMidAttempt() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver();
        UUID endpoint = UUID.fromString(register(receiver, type));
        UUID message = UUID.randomUUID();
        UUID delivery = UUID.randomUUID();
        // What a worker that crashed after claiming leaves behind: PROCESSING, claimed
        // long ago.
        jdbc.sql(
                "INSERT INTO webhooks.messages (id, owner, event_type, payload, created_at) VALUES (?, 'demo', ?, '{}', now())")
            .params(message, type)
            .update();
        jdbc.sql(
                """
                        INSERT INTO webhooks.deliveries (id, owner, message_id, endpoint_id, status, attempts, next_attempt_at, enqueued_attempt,
                            enqueued_at, claimed_at, created_at, updated_at)
                        VALUES (?, 'demo', ?, ?, 'PROCESSING', 1, now() - interval '1 hour', 0, now() - interval '1 hour',
                            now() - interval '1 hour', now(), now())
                        """)
            .params(delivery, message, endpoint)
            .update();

        JsonNode done = awaitDelivery(delivery.toString(), "SUCCEEDED");

        assertThat(done.path("attemptCount").asInt()).isEqualTo(2);
        assertThat(receiver.received()).singleElement()
            .satisfies(request -> assertThat(request.validSignature()).isTrue());
    }

    @Test
    void deadLettersAfterTheLastAttemptAndRedrivesIdempotently() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().otherwiseAnswer(Answer.status(500));
        String endpoint = register(receiver, type);
        String delivery = firstDelivery(
                post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":\"x\"}"));

        JsonNode failed = awaitDelivery(delivery, "FAILED");
        assertThat(failed.path("attempts")).hasSize(4);
        assertThat(failed.path("lastError").asString()).isEqualTo("HTTP 500");
        try (TopicReader deadLetters = TopicReader.of(kafkaAdmin, DeliveryDeadLettered.TOPIC)) {
            ConsumerRecord<String, String> letter = await().atMost(DELIVERY)
                .until(() -> deadLetters.find(endpoint), found -> found != null);
            JsonNode event = json.readTree(letter.value());
            assertThat(event.path("deliveryId").asString()).isEqualTo(delivery);
            assertThat(event.path("attempts").asInt()).isEqualTo(4);
            assertThat(event.path("lastError").asString()).isEqualTo("HTTP 500");
        }

        receiver.otherwiseAnswer(Answer.status(200));
        assertThat(post("/api/webhooks/deliveries/" + delivery + "/redrive", "").statusCode()).isEqualTo(202);
        assertThat(post("/api/webhooks/deliveries/" + delivery + "/redrive", "").statusCode()).isEqualTo(202);

        JsonNode redriven = awaitDelivery(delivery, "SUCCEEDED");
        assertThat(redriven.path("attemptCount").asInt()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(5);
        assertProblem(post("/api/webhooks/deliveries/" + delivery + "/redrive", ""), 409);
        assertProblem(post("/api/webhooks/deliveries/" + UUID.randomUUID() + "/redrive", ""), 404);
    }

    @Test
    void returnsTheOriginalMessageForARepeatedIdempotencyKey() throws Exception {
        String type = uniqueType();
        register(receiver(), type);
        String body = "{\"eventType\":\"" + type + "\",\"payload\":{\"a\":1},\"idempotencyKey\":\"" + UUID.randomUUID()
                + "\"}";

        HttpResponse<String> first = post("/api/webhooks/messages", body);
        HttpResponse<String> again = post("/api/webhooks/messages", body);

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json.readTree(again.body()).path("messageId"))
            .isEqualTo(json.readTree(first.body()).path("messageId"));
        assertThat(json.readTree(again.body()).path("deliveries"))
            .isEqualTo(json.readTree(first.body()).path("deliveries"));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        String messageId = json.readTree(first.body()).path("messageId").asString();
        assertThat(json.readTree(get("/api/webhooks/deliveries?messageId=" + messageId).body())).hasSize(1);
    }

    @Test
    void refusesOversizedAndMissingPayloads() throws Exception {
        String type = uniqueType();
        String big = "x".repeat(256 * 1024);

        assertProblem(post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":\"" + big + "\"}"),
                413);
        assertProblem(post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\"}"), 400);
        assertProblem(post("/api/webhooks/messages", "{\"eventType\":\"not a type\",\"payload\":1}"), 400);
        assertProblem(get("/api/webhooks/deliveries?status=LOST"), 400);
    }

    @Test
    void sendsPaymentSucceededToSubscribedEndpoints() throws Exception {
        TestReceiver receiver = receiver();
        register(receiver, "payment.succeeded");
        HttpResponse<String> order = post("/api/orders",
                """
                        {"customerReference":"cust-%s","currency":"EUR","items":[{"description":"Widget","quantity":1,"unitPrice":990}]}
                        """
                    .formatted(UUID.randomUUID()));
        String orderId = json.readTree(order.body()).path("id").asString();

        HttpResponse<String> payment = send("POST", "/api/payments",
                "{\"orderId\":\"" + orderId
                        + "\",\"amount\":990,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}",
                Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(payment.statusCode()).isEqualTo(201);
        String paymentId = json.readTree(payment.body()).path("id").asString();

        TestReceiver.Received webhook = await().atMost(Duration.ofSeconds(60))
            .until(() -> receiver.received()
                .stream()
                .filter(request -> request.body().contains(paymentId))
                .findFirst()
                .orElse(null), found -> found != null);
        assertThat(webhook.validSignature()).isTrue();
        JsonNode body = json.readTree(webhook.body());
        assertThat(body.path("type").asString()).isEqualTo("payment.succeeded");
        assertThat(body.path("data").path("orderId").asString()).isEqualTo(orderId);
        assertThat(body.path("data").path("amountMinor").asLong()).isEqualTo(990);
    }

}
