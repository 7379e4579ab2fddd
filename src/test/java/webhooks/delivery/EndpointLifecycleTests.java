package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import webhooks.EndpointDisabled;
import webhooks.delivery.TestReceiver.Answer;

/**
 * Secret rotation, endpoint health with automatic disabling, and bulk recovery, end to
 * end.
 */
class EndpointLifecycleTests extends WebhooksIntegrationTest {

    @Test
    void signsWithBothSecretsDuringTheGracePeriodAndWithTheNewOneAfterIt() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver();
        String endpoint = register(receiver, type);
        awaitDelivery(message(type, "{\"n\":1}"), "SUCCEEDED");
        String oldSecret = receiver.secret();
        assertThat(receiver.received().get(0).signedWith(oldSecret)).isTrue();

        JsonNode rotation = json.readTree(post("/api/webhooks/endpoints/" + endpoint + "/secret/rotate", "").body());
        String newSecret = rotation.path("secret").asString();
        assertThat(newSecret).startsWith("whsec_").isNotEqualTo(oldSecret);
        assertThat(Instant.parse(rotation.path("previousSecretExpiresAt").asString()))
            .isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(endpoint(endpoint).has("secret")).isFalse();

        awaitDelivery(message(type, "{\"n\":2}"), "SUCCEEDED");
        TestReceiver.Received duringGrace = receiver.received().get(1);
        assertThat(duringGrace.signature().split(" ")).hasSize(2)
            .allSatisfy(signature -> assertThat(signature).startsWith("v1,"));
        assertThat(duringGrace.signedWith(newSecret)).isTrue();
        assertThat(duringGrace.signedWith(oldSecret)).isTrue();

        // The grace period ends: as if a day had passed.
        jdbc.sql("UPDATE webhooks.endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = ?")
            .param(UUID.fromString(endpoint))
            .update();
        awaitDelivery(message(type, "{\"n\":3}"), "SUCCEEDED");
        TestReceiver.Received afterGrace = receiver.received().get(2);
        assertThat(afterGrace.signature().split(" ")).hasSize(1);
        assertThat(afterGrace.signedWith(newSecret)).isTrue();
        assertThat(afterGrace.signedWith(oldSecret)).isFalse();
        assertThat(endpoint(endpoint).has("previousSecretExpiresAt")).as("absent: null values are not written")
            .isFalse();

        assertProblem(post("/api/webhooks/endpoints/" + UUID.randomUUID() + "/secret/rotate", ""), 404);
    }

    @Test
    void disablesAnEndpointThatKeepsFailingLongEnoughAndPublishesEndpointDisabled() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().otherwiseAnswer(Answer.status(500));
        String endpoint = register(receiver, type);

        awaitDelivery(message(type, "\"a\""), "FAILED");
        JsonNode failing = endpoint(endpoint);
        assertThat(failing.path("enabled").asBoolean()).isTrue();
        assertThat(failing.path("consecutiveFailures").asInt()).isEqualTo(4);
        assertThat(failing.path("failingSince").isString()).isTrue();

        // Four failures are below the threshold of six; now let the streak have lasted
        // longer than a day.
        jdbc.sql("UPDATE webhooks.endpoints SET failing_since = now() - interval '25 hours' WHERE id = ?")
            .param(UUID.fromString(endpoint))
            .update();
        JsonNode ended = awaitDelivery(message(type, "\"b\""), "FAILED");

        assertThat(ended.path("attempts")).as("given up when the endpoint was disabled").hasSize(2);
        JsonNode disabled = endpoint(endpoint);
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("disabledReason").asString()).contains("6 failed attempts in a row");
        assertThat(java.time.Instant.parse(disabled.path("disabledAt").asString()))
            .isAfter(java.time.Instant.now().minusSeconds(60));
        assertThat(receiver.received()).hasSize(6);
        await().atMost(DELIVERY)
            .until(() -> completedPublications(EndpointDisabled.class.getName(), endpoint), count -> count == 1);
        assertThat(
                json.readTree(post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":{}}").body())
                    .path("deliveries"))
            .isEmpty();
    }

    @Test
    void endsTheFailureStreakWithASuccess() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().thenAnswer(Answer.status(500), Answer.status(502), Answer.status(200));
        String endpoint = register(receiver, type);

        awaitDelivery(message(type, "{}"), "SUCCEEDED");

        JsonNode healthy = endpoint(endpoint);
        assertThat(healthy.path("consecutiveFailures").asInt()).isZero();
        assertThat(healthy.has("failingSince")).as("absent: null values are not written").isFalse();
        assertThat(receiver.received()).hasSize(3);
    }

    @Test
    void recoversFailedDeliveriesSinceATimeOnceAndOnlyThose() throws Exception {
        String type = uniqueType();
        TestReceiver receiver = receiver().otherwiseAnswer(Answer.status(500));
        String endpoint = register(receiver, type);
        JsonNode older = awaitDelivery(message(type, "\"older\""), "FAILED");
        JsonNode newer = awaitDelivery(message(type, "\"newer\""), "FAILED");
        // Eight failures in a row, but within seconds, not a day: the endpoint stays
        // enabled.
        assertThat(endpoint(endpoint).path("enabled").asBoolean()).isTrue();
        assertThat(endpoint(endpoint).path("consecutiveFailures").asInt()).isEqualTo(8);
        receiver.otherwiseAnswer(Answer.status(204));

        JsonNode recovery = recover(endpoint, newer.path("createdAt").asString());
        assertThat(recovery.path("recovered").asInt()).isEqualTo(1);
        awaitDelivery(newer.path("id").asString(), "SUCCEEDED");
        assertThat(recover(endpoint, newer.path("createdAt").asString()).path("recovered").asInt()).isZero();
        assertThat(json.readTree(get("/api/webhooks/deliveries/" + older.path("id").asString()).body())
            .path("status")
            .asString()).isEqualTo("FAILED");

        assertThat(recover(endpoint, older.path("createdAt").asString()).path("recovered").asInt()).isEqualTo(1);
        JsonNode recovered = awaitDelivery(older.path("id").asString(), "SUCCEEDED");
        assertThat(recovered.path("attemptCount").asInt()).isEqualTo(1);
        assertThat(recover(endpoint, older.path("createdAt").asString()).path("recovered").asInt()).isZero();
        assertThat(receiver.received()).hasSize(10);

        assertProblem(post("/api/webhooks/endpoints/" + UUID.randomUUID() + "/recover",
                "{\"since\":\"2020-01-01T00:00:00Z\"}"), 404);
        assertProblem(post("/api/webhooks/endpoints/" + endpoint + "/recover", "{}"), 400);
        send("PATCH", "/api/webhooks/endpoints/" + endpoint, "{\"enabled\":false}", java.util.Map.of());
        assertProblem(post("/api/webhooks/endpoints/" + endpoint + "/recover", "{\"since\":\"2020-01-01T00:00:00Z\"}"),
                409);
    }

    private JsonNode recover(String endpoint, String since) throws Exception {
        var response = post("/api/webhooks/endpoints/" + endpoint + "/recover", "{\"since\":\"" + since + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return json.readTree(response.body());
    }

}
