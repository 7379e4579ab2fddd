package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.amqp.autoconfigure.RabbitConnectionDetails;
import tools.jackson.databind.JsonNode;
import webhooks.delivery.TestReceiver.Answer;

/**
 * Receivers and brokers misbehaving: a receiver that hangs, one that asks for time with
 * 429 and Retry-After, the AMQP broker unreachable while messages come in, and an
 * endpoint whose outbound rate limit spreads a burst out.
 */
class DeliveryResilienceTests extends WebhooksIntegrationTest {

    @Autowired
    CachingConnectionFactory amqp;

    @Autowired
    RabbitConnectionDetails amqpDetails;

    @Test
    void recordsAHangingReceiverAsATimeoutAndRetries() throws Exception {
        String type = uniqueType();
        // Holds the first request far beyond the 3 s request timeout of the test
        // settings.
        TestReceiver receiver = receiver().thenAnswer(Answer.hangFor(Duration.ofSeconds(20)));
        register(receiver, type);

        JsonNode done = awaitDelivery(message(type, "{\"slow\":true}"), "SUCCEEDED");

        JsonNode attempts = done.path("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).has("statusCode")).as("absent: null values are not written").isFalse();
        assertThat(attempts.get(0).path("error").asString()).startsWith("timed out");
        assertThat(attempts.get(0).path("latencyMillis").asLong()).isGreaterThanOrEqualTo(3000);
        assertThat(attempts.get(1).path("statusCode").asInt()).isEqualTo(204);
        assertThat(receiver.received()).hasSize(2)
            .extracting(TestReceiver.Received::webhookId)
            .containsOnly(receiver.received().get(0).webhookId());
    }

    @Test
    void waitsAtLeastAsLongAsTheReceiversRetryAfter() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().thenAnswer(new Answer(429, Map.of("Retry-After", "1"), "slow down"));
        register(receiver, type);

        JsonNode done = awaitDelivery(message(type, "{}"), "SUCCEEDED");

        assertThat(done.path("attempts").valueStream().map(attempt -> attempt.path("statusCode").asInt()))
            .containsExactly(429, 204);
        List<TestReceiver.Received> requests = receiver.received();
        assertThat(requests).hasSize(2);
        // By the receiver's own clock: the retry came no earlier than it asked.
        assertThat(Duration.between(requests.get(0).receivedAt(), requests.get(1).receivedAt()))
            .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void acceptsMessagesWhileTheBrokerIsUnreachableAndDeliversThemOnceItIsBack() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver();
        register(receiver, type);
        String reachable = amqpDetails.getAddresses()
            .stream()
            .map(address -> address.host() + ":" + address.port())
            .collect(Collectors.joining(","));
        String delivery;
        try {
            // Every AMQP connection of the application now goes to a port nobody listens
            // on.
            amqp.setAddresses("127.0.0.1:" + closedPort());
            amqp.resetConnection();

            HttpResponse<String> accepted = post("/api/webhooks/messages",
                    "{\"eventType\":\"" + type + "\",\"payload\":{\"during\":\"outage\"}}");
            assertThat(accepted.statusCode()).isEqualTo(202);
            delivery = firstDelivery(accepted);

            // The job cannot reach the broker: the delivery waits in PostgreSQL,
            // unqueued, and nothing is sent.
            await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> receiver.received().isEmpty() && unqueued(delivery));
            assertThat(json.readTree(get("/api/webhooks/deliveries/" + delivery).body()).path("status").asString())
                .isEqualTo("PENDING");
        }
        finally {
            amqp.setAddresses(reachable);
            amqp.resetConnection();
        }

        // The re-publisher's next pass hands it over: nothing to resubmit by hand,
        // nothing lost.
        JsonNode done = awaitDelivery(delivery, "SUCCEEDED");
        assertThat(done.path("attempts")).hasSize(1);
        assertThat(receiver.received()).singleElement()
            .satisfies(request -> assertThat(request.validSignature()).isTrue());
    }

    @Test
    void spreadsABurstToARateLimitedEndpointAndDeliversEachMessageOnce() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver();
        register(receiver, type, ",\"rateLimitPerSecond\":2");

        List<String> deliveries = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            deliveries.add(message(type, "{\"n\":" + i + "}"));
        }

        for (String delivery : deliveries) {
            JsonNode done = awaitDelivery(delivery, "SUCCEEDED");
            assertThat(done.path("attemptCount").asInt()).as("a postponed delivery does not count an attempt")
                .isEqualTo(1);
            assertThat(done.path("attempts")).hasSize(1);
        }
        List<TestReceiver.Received> requests = receiver.received();
        assertThat(requests).hasSize(6);
        assertThat(requests.stream().map(TestReceiver.Received::webhookId).distinct()).hasSize(6);
        // Two at once (a second's worth of burst), then one every half second: at least 2
        // s from first to last.
        List<TestReceiver.Received> inOrder = requests.stream()
            .sorted(Comparator.comparing(TestReceiver.Received::receivedAt))
            .toList();
        assertThat(Duration.between(inOrder.get(0).receivedAt(), inOrder.get(5).receivedAt()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(Duration.between(inOrder.get(0).receivedAt(), inOrder.get(3).receivedAt()))
            .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    private boolean unqueued(String delivery) {
        return jdbc.sql("SELECT enqueued_attempt < attempts FROM webhooks.deliveries WHERE id = CAST(? AS UUID)")
            .param(delivery)
            .query(Boolean.class)
            .single();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
