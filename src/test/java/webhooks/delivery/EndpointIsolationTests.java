package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import webhooks.delivery.TestReceiver.Answer;

/**
 * A slow endpoint delays nobody else: its attempts in flight are bounded (4 by default,
 * or the endpoint's own bound), counted in PostgreSQL, so the other workers stay free for
 * other endpoints, and its waiting deliveries go back to the queue instead of holding a
 * worker; a freed slot goes straight to the one that waited longest. Once it answers
 * again it gets every one of its messages. The hanging receiver holds each request until
 * released (up to 30 s); the tests' 3 s request timeout turns a held request into a
 * retry, so "every message" is at least once, and never again after its success was
 * recorded.
 */
class EndpointIsolationTests extends WebhooksIntegrationTest {

    @Test
    void aHangingEndpointWithFiftyQueuedMessagesDoesNotDelayAHealthyOne() throws Exception {
        String slowType = uniqueType();
        String healthyType = uniqueType();
        TestReceiver slow = receiver().otherwiseAnswer(Answer.hangFor(Duration.ofSeconds(30)));
        TestReceiver healthy = receiver();
        String slowEndpoint = register(slow, slowType);
        register(healthy, healthyType);

        List<String> slowDeliveries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            slowDeliveries.add(message(slowType, "{\"n\":" + i + "}"));
        }
        await("the slow endpoint holds its bound of attempts").atMost(DELIVERY)
            .until(() -> slow.received().size() >= 4);

        Map<String, Instant> acceptedAt = new HashMap<>();
        long mostInFlight;
        try (InFlight inFlight = new InFlight(slowEndpoint)) {
            for (int i = 0; i < 20; i++) {
                Instant sent = Instant.now();
                HttpResponse<String> accepted = post("/api/webhooks/messages",
                        "{\"eventType\":\"" + healthyType + "\",\"payload\":{\"n\":" + i + "}}");
                acceptedAt.put("msg_" + json.readTree(accepted.body()).path("messageId").asString(), sent);
            }
            await("every healthy delivery").atMost(DELIVERY).until(() -> healthy.received().size() >= 20);
            mostInFlight = inFlight.most();
        }

        List<Long> lateness = healthy.received()
            .stream()
            .map(request -> Duration.between(acceptedAt.get(request.webhookId()), request.receivedAt()).toMillis())
            .sorted()
            .toList();
        assertThat(lateness).hasSize(20);
        assertThat(lateness.get(lateness.size() - 1))
            .as("the latest healthy delivery, ms after its message was sent (all: %s)", lateness)
            .isLessThanOrEqualTo(1_000);
        assertThat(mostInFlight).as("most attempts in flight at the slow endpoint at once").isEqualTo(4);

        slow.release();
        for (String delivery : slowDeliveries) {
            JsonNodeAssert.succeededWithoutLaterRequests(awaitDelivery(delivery, "SUCCEEDED"), slow);
        }
    }

    @Test
    void anEndpointsOwnBoundReplacesTheDefault() throws Exception {
        String type = uniqueType();
        TestReceiver slow = receiver().otherwiseAnswer(Answer.hangFor(Duration.ofSeconds(30)));
        String endpoint = register(slow, type, ",\"maxConcurrentAttempts\":1");
        assertThat(endpoint(endpoint).path("maxConcurrentAttempts").asInt()).isEqualTo(1);
        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            deliveries.add(message(type, "{\"n\":" + i + "}"));
        }
        try (InFlight inFlight = new InFlight(endpoint)) {
            await("one attempt in flight").atMost(DELIVERY).until(() -> inFlight.most() == 1);
            // The held attempt times out (3 s) and the next one goes out: still one at a
            // time.
            await("a second attempt").atMost(DELIVERY).until(() -> slow.received().size() >= 2);
            assertThat(inFlight.most()).as("most in flight under a bound of 1").isEqualTo(1);
        }

        HttpResponse<String> raised = send("PATCH", "/api/webhooks/endpoints/" + endpoint,
                "{\"maxConcurrentAttempts\":3}", Map.of());
        assertThat(json.readTree(raised.body()).path("maxConcurrentAttempts").asInt()).isEqualTo(3);
        try (InFlight inFlight = new InFlight(endpoint)) {
            await("three attempts in flight after the change").atMost(DELIVERY).until(() -> inFlight.most() == 3);
            assertThat(inFlight.most()).isLessThanOrEqualTo(3);
        }
        assertProblem(send("PATCH", "/api/webhooks/endpoints/" + endpoint, "{\"maxConcurrentAttempts\":0}", Map.of()),
                400);
        slow.release();
        for (String delivery : deliveries) {
            awaitDelivery(delivery, "SUCCEEDED");
        }
    }

    @Test
    void aFreedSlotGoesAtOnceToTheDeliveryThatWaitedLongest() throws Exception {
        String type = uniqueType();
        TestReceiver slow = receiver().otherwiseAnswer(Answer.hangFor(Duration.ofSeconds(30)));
        register(slow, type, ",\"maxConcurrentAttempts\":1");
        String first = message(type, "{\"n\":0}");
        await("the first attempt holds the only slot").atMost(DELIVERY).until(() -> slow.received().size() == 1);
        String second = message(type, "{\"n\":1}");
        await("the second delivery waits for the slot").atMost(DELIVERY).until(() -> waiting(second));
        String third = message(type, "{\"n\":2}");
        await("the third waits behind it").atMost(DELIVERY).until(() -> waiting(third));

        // Released while the second's fallback (busy-endpoint-retry) is at least 300 ms
        // away: only a hand-off attempts it sooner.
        Instant[] fallback = new Instant[1];
        await("a release well before the fallback").atMost(DELIVERY).pollInterval(Duration.ofMillis(20)).until(() -> {
            fallback[0] = jdbc.sql("""
                    SELECT next_attempt_at FROM webhooks.deliveries
                    WHERE id = CAST(? AS UUID) AND next_attempt_at > now() + interval '300 milliseconds'
                    """)
                .param(second)
                .query(java.time.OffsetDateTime.class)
                .optional()
                .map(java.time.OffsetDateTime::toInstant)
                .orElse(null);
            return fallback[0] != null;
        });
        slow.release();

        for (String delivery : List.of(first, second, third)) {
            awaitDelivery(delivery, "SUCCEEDED");
        }
        assertThat(firstAttemptAt(second)).as("the second's attempt, handed the freed slot")
            .isBefore(fallback[0])
            .isBefore(firstAttemptAt(third));
        assertThat(waiting(second) || waiting(third)).as("a delivery that got its slot waits no more").isFalse();
    }

    private boolean waiting(String delivery) {
        return jdbc.sql("SELECT waiting_since IS NOT NULL FROM webhooks.deliveries WHERE id = CAST(? AS UUID)")
            .param(delivery)
            .query(Boolean.class)
            .single();
    }

    private Instant firstAttemptAt(String delivery) {
        return jdbc.sql("SELECT min(attempted_at) FROM webhooks.attempts WHERE delivery_id = CAST(? AS UUID)")
            .param(delivery)
            .query(java.time.OffsetDateTime.class)
            .single()
            .toInstant();
    }

    /**
     * Samples an endpoint's attempts in flight (PROCESSING deliveries) in PostgreSQL
     * every 10 ms and keeps the largest count.
     */
    private final class InFlight implements AutoCloseable {

        private final AtomicLong most = new AtomicLong();

        private final AtomicBoolean running = new AtomicBoolean(true);

        private final Thread sampler;

        InFlight(String endpoint) {
            sampler = new Thread(() -> {
                while (running.get()) {
                    long now = jdbc.sql(
                            "SELECT count(*) FROM webhooks.deliveries WHERE endpoint_id = CAST(? AS UUID) AND status = 'PROCESSING'")
                        .param(endpoint)
                        .query(Long.class)
                        .single();
                    most.accumulateAndGet(now, Math::max);
                    // the sampling period, not a wait for a result
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
            }, "in-flight-sampler");
            sampler.start();
        }

        long most() {
            return most.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            sampler.join();
        }

    }

    /** What a delivery that SUCCEEDED must show at a receiver. */
    private static final class JsonNodeAssert {

        static void succeededWithoutLaterRequests(tools.jackson.databind.JsonNode delivery, TestReceiver receiver) {
            String webhookId = "msg_" + delivery.path("messageId").asString();
            Instant succeeded = Instant.parse(delivery.path("updatedAt").asString());
            List<TestReceiver.Received> requests = receiver.received()
                .stream()
                .filter(request -> webhookId.equals(request.webhookId()))
                .toList();
            assertThat(requests).as(webhookId).isNotEmpty();
            assertThat(requests).as(webhookId + " after its success at " + succeeded)
                .noneMatch(request -> request.receivedAt().isAfter(succeeded));
        }

    }

}
