package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The Idempotency-Key header of {@code POST /api/webhooks/messages}, with the payments
 * API's rules: the same request replays, another request under the key is 422, one still
 * being stored is 409, and every client has its own keys.
 */
class MessageIdempotencyTests extends WebhooksIntegrationTest {

    @Autowired
    DataSource dataSource;

    @Test
    void replaysTheFirstAnswerForTheSameRequest() throws Exception {
        String type = uniqueType();
        register(receiver(), type);
        String key = UUID.randomUUID().toString();
        String body = body(type, "{\"a\":1}");

        HttpResponse<String> first = postAs("demo-key-change-me", body, key);
        // a structured-field string
        HttpResponse<String> again = postAs("demo-key-change-me", body, "\"" + key + "\"");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(again.body()).path("messageId"))
            .isEqualTo(json.readTree(first.body()).path("messageId"));
        assertThat(json.readTree(again.body()).path("deliveries"))
            .isEqualTo(json.readTree(first.body()).path("deliveries"));
        assertThat(storedUnder(key)).isEqualTo(1);
    }

    @Test
    void refusesTheKeyWithAnotherPayloadOrEventTypeAndStoresNothing() throws Exception {
        String type = uniqueType();
        register(receiver(), type);
        String key = UUID.randomUUID().toString();
        postAs("demo-key-change-me", body(type, "{\"a\":1}"), key);

        for (String other : List.of(body(type, "{\"a\":2}"), body(type, "{\"b\":1}"),
                body(uniqueType(), "{\"a\":1}"))) {
            HttpResponse<String> refused = postAs("demo-key-change-me", other, key);
            assertProblem(refused, 422);
            assertThat(json.readTree(refused.body()).path("type").asString())
                .isEqualTo("/problems/idempotency-key-reused");
        }
        assertThat(storedUnder(key)).isEqualTo(1);
    }

    @Test
    void answersInFlightWhileTheFirstRequestIsBeingStored() throws Exception {
        String type = uniqueType();
        String key = UUID.randomUUID().toString();
        try (Connection first = dataSource.getConnection()) {
            // Plays the first request, holding the key's lock in its open transaction.
            first.setAutoCommit(false);
            try (PreparedStatement lock = first.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
                lock.setInt(1, MessageIngestion.KEY_LOCKS);
                lock.setString(2, PostedKey.fromHeader(key).lockName("demo", type));
                lock.execute();
            }
            HttpResponse<String> meanwhile = postAs("demo-key-change-me", body(type, "{\"a\":1}"), key);
            assertProblem(meanwhile, 409);
            assertThat(json.readTree(meanwhile.body()).path("type").asString())
                .isEqualTo("/problems/idempotency-key-in-flight");
            first.rollback();
        }
        assertThat(postAs("demo-key-change-me", body(type, "{\"a\":1}"), key).statusCode()).isEqualTo(202);
        assertThat(storedUnder(key)).isEqualTo(1);
    }

    @Test
    void storesOneMessageForConcurrentRepeats() throws Exception {
        String type = uniqueType();
        register(receiver(), type);
        String key = UUID.randomUUID().toString();
        String body = body(type, "{\"a\":1}");
        List<Callable<HttpResponse<String>>> repeats = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            repeats.add(() -> postAs("demo-key-change-me", body, key));
        }

        List<Integer> statuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            for (Future<HttpResponse<String>> answer : pool.invokeAll(repeats)) {
                statuses.add(answer.get().statusCode());
            }
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(statuses).containsOnly(202, 409).contains(202);
        assertThat(storedUnder(key)).isEqualTo(1);
        assertThat(jdbc
            .sql("SELECT count(*) FROM webhooks.deliveries d JOIN webhooks.messages m ON m.id = d.message_id"
                    + " WHERE m.request_key = ?")
            .param(key)
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void keepsEveryClientsKeysApart() throws Exception {
        String type = uniqueType();
        String key = UUID.randomUUID().toString();

        HttpResponse<String> alices = postAs("alice-test-key", body(type, "{\"a\":1}"), key);
        HttpResponse<String> bobs = postAs("bob-test-key", body(type, "{\"b\":2}"), key);

        assertThat(alices.statusCode()).isEqualTo(202);
        assertThat(bobs.statusCode()).isEqualTo(202);
        assertThat(bobs.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(json.readTree(bobs.body()).path("messageId"))
            .isNotEqualTo(json.readTree(alices.body()).path("messageId"));
        assertThat(storedUnder(key)).isEqualTo(2);
    }

    @Test
    void theBodyFieldRefusesAnotherPayloadToo() throws Exception {
        String type = uniqueType();
        String key = UUID.randomUUID().toString();
        String withKey = "{\"eventType\":\"" + type + "\",\"payload\":%s,\"idempotencyKey\":\"" + key + "\"}";

        assertThat(postAs("demo-key-change-me", withKey.formatted("{\"a\":1}"), null).statusCode()).isEqualTo(202);
        HttpResponse<String> same = postAs("demo-key-change-me", withKey.formatted("{\"a\":1}"), null);
        assertThat(same.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertProblem(postAs("demo-key-change-me", withKey.formatted("{\"a\":2}"), null), 422);
        // the body field is one namespace per event type, the header another
        assertThat(postAs("demo-key-change-me", body(type, "{\"a\":2}"), key).statusCode()).isEqualTo(202);
    }

    @Test
    void refusesMalformedOrDoubledKeys() throws Exception {
        String type = uniqueType();
        String key = UUID.randomUUID().toString();

        assertProblem(postAs("demo-key-change-me", body(type, "{\"a\":1}"), "x".repeat(256)), 400);
        assertProblem(postAs("demo-key-change-me", body(type, "{\"a\":1}"), "two words"), 400);
        assertProblem(postAs("demo-key-change-me", body(type, "{\"a\":1}"), "\"\""), 400);
        assertProblem(postAs("demo-key-change-me",
                "{\"eventType\":\"" + type + "\",\"payload\":1,\"idempotencyKey\":\"" + key + "\"}", key), 400);
        assertThat(storedUnder(key)).isZero();
    }

    private static String body(String type, String payload) {
        return "{\"eventType\":\"" + type + "\",\"payload\":" + payload + "}";
    }

    private long storedUnder(String key) {
        return jdbc.sql("SELECT count(*) FROM webhooks.messages WHERE request_key = ? OR idempotency_key = ?")
            .params(key, key)
            .query(Long.class)
            .single();
    }

    private HttpResponse<String> postAs(String apiKey, String body, String idempotencyKey) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/webhooks/messages"))
            .header("X-API-Key", apiKey)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

}
