package payments;

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
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import payments.processing.SimulatedPaymentProvider;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * FlowPay over real HTTP, with real PostgreSQL and the Kafka processor: idempotent creation
 * with every status the API promises, and each simulated provider behaviour to its end state.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PaymentsApiTests {

    private static final Duration PROCESSING = Duration.ofSeconds(60);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SimulatedPaymentProvider provider;

    @Test
    void paysAnOrderThroughKafkaAndMarksItPaid() throws Exception {
        JsonNode order = placeOrder(1250, "EUR");

        HttpResponse<String> created = pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED);

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode payment = json.readTree(created.body());
        assertThat(payment.path("status").asString()).isEqualTo("CREATED");
        assertThat(payment.path("amount").path("display").asString()).isEqualTo("12.50 EUR");
        awaitPayment(payment, "SUCCEEDED");
        await().atMost(PROCESSING).until(() -> json.readTree(get("/api/orders/" + order.path("id").asString()).body())
            .path("status").asString().equals("PAID"));
        JsonNode settled = json.readTree(get("/api/payments/" + payment.path("id").asString()).body());
        assertThat(settled.path("transitions").valueStream().map(t -> t.path("toStatus").asString()))
            .containsExactly("CREATED", "PROCESSING", "SUCCEEDED");
    }

    @Test
    void replaysTheFirstResponseByteForByteForARepeatedKey() throws Exception {
        JsonNode order = placeOrder(500, "USD");
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = pay(key, order, SimulatedPaymentProvider.APPROVED);
        HttpResponse<String> second = pay(key, order, SimulatedPaymentProvider.APPROVED);

        assertThat(second.statusCode()).isEqualTo(first.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(paymentsFor(order)).isEqualTo(1);
    }

    @Test
    void refusesAKeyReusedWithADifferentBody() throws Exception {
        JsonNode order = placeOrder(500, "USD");
        String key = UUID.randomUUID().toString();
        pay(key, order, SimulatedPaymentProvider.APPROVED);

        HttpResponse<String> reused = pay(key, order, SimulatedPaymentProvider.DECLINED);

        assertProblem(reused, 422);
        assertThat(paymentsFor(order)).isEqualTo(1);
    }

    @Test
    void requiresAWellFormedKey() throws Exception {
        JsonNode order = placeOrder(500, "USD");

        assertProblem(pay(null, order, SimulatedPaymentProvider.APPROVED), 400);
        assertProblem(pay("x".repeat(256), order, SimulatedPaymentProvider.APPROVED), 400);
        assertProblem(pay("has space", order, SimulatedPaymentProvider.APPROVED), 400);
        assertThat(paymentsFor(order)).isZero();
    }

    @Test
    void doesNotSpendAKeyOnARequestThatFailsValidation() throws Exception {
        JsonNode order = placeOrder(500, "USD");
        String key = UUID.randomUUID().toString();

        assertProblem(send(key, "{\"orderId\":\"" + order.path("id").asString() + "\",\"amount\":0,\"currency\":\"USD\",\"paymentMethod\":\"pm_card_visa\"}"), 400);

        assertThat(pay(key, order, SimulatedPaymentProvider.APPROVED).statusCode()).isEqualTo(201);
    }

    @Test
    void storesAndReplaysBusinessErrorsToo() throws Exception {
        JsonNode order = placeOrder(500, "USD");
        String key = UUID.randomUUID().toString();
        String wrongAmount = "{\"orderId\":\"" + order.path("id").asString() + "\",\"amount\":499,\"currency\":\"USD\",\"paymentMethod\":\"pm_card_visa\"}";

        HttpResponse<String> first = send(key, wrongAmount);
        HttpResponse<String> replay = send(key, wrongAmount);

        assertProblem(first, 422);
        assertThat(replay.statusCode()).isEqualTo(422);
        assertThat(replay.body()).isEqualTo(first.body());
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void createsOnePaymentAndChargesOnceFor64ConcurrentIdenticalRequests() throws Exception {
        JsonNode order = placeOrder(4200, "EUR");
        String key = UUID.randomUUID().toString();
        int clients = 64;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return pay(key, order, SimulatedPaymentProvider.APPROVED);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<HttpResponse<String>> response : responses) {
                statuses.add(response.get().statusCode());
            }
            assertThat(statuses).isSubsetOf(201, 409).contains(201);
        }
        finally {
            pool.shutdownNow();
        }

        assertThat(paymentsFor(order)).isEqualTo(1);
        UUID payment = jdbc.sql("select id from payments.payments where order_id = ?").param(UUID.fromString(order.path("id").asString()))
            .query(UUID.class).single();
        await().atMost(PROCESSING).until(() -> status(payment).equals("SUCCEEDED"));
        assertThat(provider.callsFor(payment)).isEqualTo(1);
    }

    @Test
    void failsADeclinedPaymentWithTheProvidersReason() throws Exception {
        JsonNode payment = json.readTree(pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.DECLINED).body());

        JsonNode failed = awaitPayment(payment, "FAILED");

        assertThat(failed.path("failureReason").asString()).isEqualTo("declined: insufficient funds");
    }

    @Test
    void retriesTransientFailuresUntilTheProviderAnswers() throws Exception {
        JsonNode flaky = json.readTree(pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.FLAKY).body());
        JsonNode lostAnswer = json.readTree(pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.TIMEOUT).body());

        awaitPayment(flaky, "SUCCEEDED");
        awaitPayment(lostAnswer, "SUCCEEDED");
        assertThat(provider.callsFor(UUID.fromString(flaky.path("id").asString()))).isEqualTo(3);
    }

    @Test
    void failsWithRetriesExhaustedOnceTheDeadLetterTopicHasIt() throws Exception {
        JsonNode payment = json.readTree(pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.UNAVAILABLE).body());

        JsonNode failed = awaitPayment(payment, "FAILED");

        assertThat(failed.path("failureReason").asString()).isEqualTo("retries exhausted");
        assertThat(provider.callsFor(UUID.fromString(payment.path("id").asString()))).isEqualTo(3);
    }

    @Test
    void refusesPayingAnOrderThatIsNotPayable() throws Exception {
        JsonNode order = placeOrder(900, "EUR");
        assertThat(post("/api/orders/" + order.path("id").asString() + "/cancel", "", null).statusCode()).isEqualTo(200);

        assertProblem(pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED), 409);
        assertProblem(post("/api/orders/" + order.path("id").asString() + "/cancel", "", null), 409);
    }

    @Test
    void refundsPartlyThenFullyAndNeverMoreThanWasPaid() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"),
                SimulatedPaymentProvider.APPROVED).body()), "SUCCEEDED");
        String id = payment.path("id").asString();

        HttpResponse<String> partial = refund(id, UUID.randomUUID().toString(), 400);
        HttpResponse<String> tooMuch = refund(id, UUID.randomUUID().toString(), 601);
        HttpResponse<String> rest = refund(id, UUID.randomUUID().toString(), 600);

        assertThat(partial.statusCode()).isEqualTo(201);
        assertThat(json.readTree(partial.body()).path("paymentStatus").asString()).isEqualTo("PARTIALLY_REFUNDED");
        assertProblem(tooMuch, 409);
        assertThat(json.readTree(rest.body()).path("paymentStatus").asString()).isEqualTo("REFUNDED");
        assertProblem(refund(id, UUID.randomUUID().toString(), 1), 409);
    }

    @Test
    void keepsConcurrentRefundsWithinTheAmount() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"),
                SimulatedPaymentProvider.APPROVED).body()), "SUCCEEDED");
        String id = payment.path("id").asString();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return refund(id, UUID.randomUUID().toString(), 300);
                }));
            }
            start.countDown();
            long granted = 0;
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> done = response.get();
                assertThat(done.statusCode()).isIn(201, 409);
                granted += done.statusCode() == 201 ? 300 : 0;
            }
            long refunded = jdbc.sql("select refunded_minor from payments.payments where id = ?").param(UUID.fromString(id))
                .query(Long.class).single();
            assertThat(refunded).isEqualTo(granted).isLessThanOrEqualTo(1000).isPositive();
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void replaysARefundForARepeatedKey() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"),
                SimulatedPaymentProvider.APPROVED).body()), "SUCCEEDED");
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = refund(payment.path("id").asString(), key, 250);
        HttpResponse<String> again = refund(payment.path("id").asString(), key, 250);

        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(jdbc.sql("select refunded_minor from payments.payments where id = ?").param(UUID.fromString(payment.path("id").asString()))
            .query(Long.class).single()).isEqualTo(250);
    }

    @Test
    void listsDeadLettersAndRequeuesOne() throws Exception {
        JsonNode payment = json.readTree(pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.UNAVAILABLE).body());
        UUID id = UUID.fromString(payment.path("id").asString());
        awaitPayment(payment, "FAILED");

        assertThat(get("/api/payments/dead-letters").body()).contains(id.toString());
        assertThat(post("/api/payments/dead-letters/" + id + "/requeue", "", null).statusCode()).isEqualTo(202);

        await().atMost(PROCESSING).until(() -> provider.callsFor(id) == 6 && status(id).equals("FAILED"));
        assertProblem(post("/api/payments/dead-letters/" + UUID.fromString(json.readTree(pay(UUID.randomUUID().toString(),
                placeOrder(700, "EUR"), SimulatedPaymentProvider.DECLINED).body()).path("id").asString()) + "/requeue", "", null), 409);
    }

    @Test
    void showsTheWholeChainOnTheTimelineAndNotifiesTheCustomerOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        JsonNode order = placeOrder(1500, "EUR");
        JsonNode payment = awaitPayment(json.readTree(pay(key, order, SimulatedPaymentProvider.APPROVED).body()), "SUCCEEDED");
        String id = payment.path("id").asString();

        await().atMost(PROCESSING).until(() -> get("/api/payments/" + id + "/timeline").body().contains("order-paid via email: sent"));
        JsonNode timeline = json.readTree(get("/api/payments/" + id + "/timeline").body());

        assertThat(timeline.valueStream().map(entry -> entry.path("kind").asString()))
            .contains("request", "transition", "event", "notification");
        assertThat(timeline.get(0).path("description").asString()).contains(key);
        assertThat(timeline.toString()).contains("PaymentRequested", "PaymentSucceeded");
        assertThat(jdbc.sql("select count(*) from payments.notifications where order_id = ? and template = 'order-paid'")
            .param(UUID.fromString(order.path("id").asString())).query(Long.class).single()).isEqualTo(1);
    }

    private HttpResponse<String> refund(String payment, String key, long amount) throws Exception {
        return post("/api/payments/" + payment + "/refunds", "{\"amount\":" + amount + ",\"currency\":\"EUR\",\"reason\":\"test\"}", key);
    }

    private JsonNode awaitPayment(JsonNode payment, String status) {
        String id = payment.path("id").asString();
        await().atMost(PROCESSING).until(() -> status(UUID.fromString(id)).equals(status));
        try {
            return json.readTree(get("/api/payments/" + id).body());
        }
        catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String status(UUID payment) {
        return jdbc.sql("select status from payments.payments where id = ?").param(payment).query(String.class).single();
    }

    private long paymentsFor(JsonNode order) {
        return jdbc.sql("select count(*) from payments.payments where order_id = ?").param(UUID.fromString(order.path("id").asString()))
            .query(Long.class).single();
    }

    private JsonNode placeOrder(long unitPrice, String currency) throws Exception {
        HttpResponse<String> response = post("/api/orders", """
                {"customerReference":"cust-%s","currency":"%s","items":[{"description":"Widget","quantity":1,"unitPrice":%d}]}
                """.formatted(UUID.randomUUID(), currency, unitPrice), null);
        assertThat(response.statusCode()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private HttpResponse<String> pay(String key, JsonNode order, String paymentMethod) throws Exception {
        return send(key, "{\"orderId\":\"%s\",\"amount\":%d,\"currency\":\"%s\",\"paymentMethod\":\"%s\"}".formatted(
                order.path("id").asString(), order.path("total").asLong(), order.path("currency").asString(), paymentMethod));
    }

    private HttpResponse<String> send(String key, String body) throws Exception {
        return post("/api/payments", body, key);
    }

    private HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("X-API-Key", "demo-key-change-me")
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", "demo-key-change-me")
            .build(), BodyHandlers.ofString());
    }

    private void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).path("status").asInt()).isEqualTo(status);
    }
}
