package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import webhooks.delivery.TestReceiver.Answer;

/**
 * Etiquette per endpoint: a 429, or a 503 with Retry-After, pauses every delivery to the
 * endpoint for as long as it asked, and the throttled attempt is on record without using
 * up one of the delivery's attempts (four in tests, of which five throttled ones may be
 * spared).
 */
class EndpointThrottlingTests extends WebhooksIntegrationTest {

    @Test
    void throttledAttemptsAreRecordedButDoNotUseUpTheDeliverysAttempts() throws Exception {
        String type = uniqueType();
        Answer slowDown = new Answer(429, Map.of("Retry-After", "0"), "slow down");
        TestReceiver receiver = receiver().thenAnswer(slowDown, slowDown, slowDown, slowDown)
            .otherwiseAnswer(Answer.status(204));
        register(receiver, type);

        JsonNode delivered = awaitDelivery(message(type, "{\"n\":1}"), "SUCCEEDED");

        // Five attempts where four are allowed: the four throttled ones did not count.
        assertThat(delivered.path("attemptCount").asInt()).isEqualTo(5);
        assertThat(delivered.path("throttledAttempts").asInt()).isEqualTo(4);
        assertThat(delivered.path("attempts").valueStream().map(attempt -> attempt.path("number").asInt()))
            .containsExactly(1, 2, 3, 4, 5);
        assertThat(delivered.path("attempts").valueStream().map(attempt -> attempt.path("throttled").asBoolean()))
            .containsExactly(true, true, true, true, false);
        assertThat(delivered.path("attempts").get(0).path("statusCode").asInt()).isEqualTo(429);
        assertThat(receiver.received()).hasSize(5);
    }

    @Test
    void anEndpointThatKeepsThrottlingSpendsItsSparedAttemptsThenTheCountedOnes() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().otherwiseAnswer(new Answer(503, Map.of("Retry-After", "0"), "maintenance"));
        register(receiver, type);

        JsonNode failed = awaitDelivery(message(type, "{\"n\":1}"), "FAILED");

        assertThat(failed.path("attemptCount").asInt()).isEqualTo(5 + 4);
        assertThat(failed.path("throttledAttempts").asInt()).isEqualTo(5);
        assertThat(failed.path("lastError").asString()).isEqualTo("HTTP 503");
        assertThat(receiver.received()).hasSize(9);
    }

    @Test
    void aThrottleHoldsBackEveryDeliveryOfTheEndpointUntilItEnds() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().thenAnswer(new Answer(429, Map.of("Retry-After", "2"), "slow down"))
            .otherwiseAnswer(Answer.status(204));
        String endpoint = register(receiver, type);
        String first = message(type, "{\"n\":\"first\"}");

        JsonNode throttled = await().atMost(DELIVERY)
            .until(() -> endpoint(endpoint), view -> view.has("throttledUntil"));
        Instant until = Instant.parse(throttled.path("throttledUntil").asString());
        String second = message(type, "{\"n\":\"second\"}");

        awaitDelivery(first, "SUCCEEDED");
        JsonNode secondDelivered = awaitDelivery(second, "SUCCEEDED");
        // The second message came while the endpoint was paused: it waited, without being
        // sent or throttled itself.
        assertThat(secondDelivered.path("attemptCount").asInt()).isEqualTo(1);
        assertThat(secondDelivered.path("throttledAttempts").asInt()).isZero();
        assertThat(receiver.received()).hasSize(3);
        assertThat(receiver.received().subList(1, 3))
            .allSatisfy(request -> assertThat(request.receivedAt()).isAfter(until));
        assertThat(endpoint(endpoint).has("throttledUntil")).as("a pause that is over is not shown").isFalse();
    }

}
