package payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import javax.sql.DataSource;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import payments.processing.SimulatedPaymentProvider;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * FlowPay over real HTTP, with real PostgreSQL and the Kafka processor: idempotent
 * creation with every status the API promises, and each simulated provider behaviour to
 * its end state.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class PaymentsApiTests {

    private static final Duration PROCESSING = Duration.ofSeconds(60);

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SimulatedPaymentProvider provider;

    @Autowired
    DataSource dataSource;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    ApplicationEventPublisher events;

    @Test
    void paysAnOrderThroughKafkaAndMarksItPaid() throws Exception {
        JsonNode order = placeOrder(1250, "EUR");

        HttpResponse<String> created = pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED);

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode payment = json.readTree(created.body());
        assertThat(payment.path("status").asString()).isEqualTo("CREATED");
        assertThat(payment.path("amount").path("display").asString()).isEqualTo("12.50 EUR");
        awaitPayment(payment, "SUCCEEDED");
        await().atMost(PROCESSING)
            .until(() -> json.readTree(get("/api/orders/" + order.path("id").asString()).body())
                .path("status")
                .asString()
                .equals("PAID"));
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

        assertProblem(send(key, "{\"orderId\":\"" + order.path("id").asString()
                + "\",\"amount\":0,\"currency\":\"USD\",\"paymentMethod\":\"pm_card_visa\"}"), 400);

        assertThat(pay(key, order, SimulatedPaymentProvider.APPROVED).statusCode()).isEqualTo(201);
    }

    @Test
    void storesAndReplaysBusinessErrorsToo() throws Exception {
        JsonNode order = placeOrder(500, "USD");
        String key = UUID.randomUUID().toString();
        String wrongAmount = "{\"orderId\":\"" + order.path("id").asString()
                + "\",\"amount\":499,\"currency\":\"USD\",\"paymentMethod\":\"pm_card_visa\"}";

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
        UUID payment = jdbc.sql("select id from payments.payments where order_id = ?")
            .param(UUID.fromString(order.path("id").asString()))
            .query(UUID.class)
            .single();
        await().atMost(PROCESSING).until(() -> status(payment).equals("SUCCEEDED"));
        assertThat(provider.callsFor(payment)).isEqualTo(1);
    }

    @Test
    void chargesAnOrderOnceFor16ConcurrentPaymentsWithDifferentKeys() throws Exception {
        JsonNode order = placeOrder(2100, "EUR");
        List<HttpResponse<String>> answers = concurrently(16,
                () -> pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED));

        List<HttpResponse<String>> created = answers.stream().filter(answer -> answer.statusCode() == 201).toList();
        assertThat(created).hasSize(1);
        String winner = json.readTree(created.get(0).body()).path("id").asString();
        for (HttpResponse<String> refused : answers.stream().filter(answer -> answer.statusCode() != 201).toList()) {
            assertProblem(refused, 409);
            assertThat(json.readTree(refused.body()).path("existingPayment").asString()).isEqualTo(winner);
        }
        assertThat(paymentsFor(order)).isEqualTo(1);
        awaitPayment(created.get(0).body(), "SUCCEEDED");
        await().atMost(PROCESSING)
            .until(() -> json.readTree(get("/api/orders/" + order.path("id").asString()).body())
                .path("paidBy")
                .asString()
                .equals(winner));
        assertThat(chargesFor(order)).isEqualTo(1);
    }

    @Test
    void refusesASecondPaymentForAnOrderUntilTheFirstHasFailed() throws Exception {
        JsonNode order = placeOrder(800, "EUR");
        JsonNode declined = json
            .readTree(pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.DECLINED).body());
        HttpResponse<String> whileLive = pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED);
        // the declined payment was still live: refused, naming it
        if (whileLive.statusCode() != 201) {
            assertProblem(whileLive, 409);
            assertThat(json.readTree(whileLive.body()).path("existingPayment").asString())
                .isEqualTo(declined.path("id").asString());
            awaitPayment(declined, "FAILED");
            whileLive = pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED);
        }

        assertThat(whileLive.statusCode()).isEqualTo(201);
        awaitPayment(whileLive.body(), "SUCCEEDED");
        assertProblem(pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED), 409);
        assertThat(paymentsFor(order)).isEqualTo(2);
    }

    @Test
    void letsPostgresqlRefuseASecondLivePaymentWhateverTheJavaSideChecked() {
        UUID order = UUID.randomUUID();
        jdbc.sql(
                """
                        insert into payments.orders (id, owner, customer_reference, currency, total_minor, status, created_at, updated_at, version)
                        values (?, 'demo', 'db-test', 'EUR', 100, 'CREATED', now(), now(), 0)""")
            .param(order)
            .update();
        String insert = """
                insert into payments.payments (id, owner, order_id, amount_minor, currency, payment_method, status, created_at, updated_at, version)
                values (?, 'demo', ?, 100, 'EUR', 'pm_card_visa', ?, now(), now(), 0)""";

        jdbc.sql(insert).params(UUID.randomUUID(), order, "FAILED").update();
        jdbc.sql(insert).params(UUID.randomUUID(), order, "PROCESSING").update();

        assertThatThrownBy(() -> jdbc.sql(insert).params(UUID.randomUUID(), order, "CREATED").update())
            .isInstanceOf(DataIntegrityViolationException.class)
            .hasMessageContaining("payments_one_live_per_order");
    }

    @Test
    void answers409ForARequestWhoseKeyIsStillInFlight() throws Exception {
        JsonNode order = placeOrder(1100, "EUR");
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection blocker = dataSource.getConnection()) {
            // Holding the order's row lock parks the first request after it claimed its
            // key.
            blocker.setAutoCommit(false);
            try (var lock = blocker.prepareStatement("select id from payments.orders where id = ? for update")) {
                lock.setObject(1, UUID.fromString(order.path("id").asString()));
                lock.executeQuery();
            }
            Future<HttpResponse<String>> first = pool.submit(() -> pay(key, order, SimulatedPaymentProvider.APPROVED));
            await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql(
                        "select count(*) from payments.idempotency_keys where idempotency_key = ? and status = 'IN_FLIGHT'")
                    .param(key)
                    .query(Long.class)
                    .single() == 1);

            HttpResponse<String> second = pay(key, order, SimulatedPaymentProvider.APPROVED);

            assertProblem(second, 409);
            assertThat(json.readTree(second.body()).path("detail").asString()).contains("still being processed");
            blocker.rollback();
            assertThat(first.get().statusCode()).isEqualTo(201);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(pay(key, order, SimulatedPaymentProvider.APPROVED).headers().firstValue("Idempotent-Replayed"))
            .hasValue("true");
        assertThat(paymentsFor(order)).isEqualTo(1);
    }

    @Test
    void refusesCancellingAnOrderWhilePaymentIsProcessing() throws Exception {
        JsonNode order = placeOrder(950, "EUR");
        // Always transient: the payment stays live through every retry before it is
        // dead-lettered.
        String payment = json
            .readTree(pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.UNAVAILABLE).body())
            .path("id")
            .asString();

        HttpResponse<String> cancel = post("/api/orders/" + order.path("id").asString() + "/cancel", "", null);

        if (!status(UUID.fromString(payment)).equals("FAILED")) {
            assertProblem(cancel, 409);
            assertThat(json.readTree(cancel.body()).path("existingPayment").asString()).isEqualTo(payment);
            assertThat(
                    json.readTree(get("/api/orders/" + order.path("id").asString()).body()).path("status").asString())
                .isEqualTo("CREATED");
        }
        awaitPayment(json.readTree(get("/api/payments/" + payment).body()), "FAILED");
        assertThat(post("/api/orders/" + order.path("id").asString() + "/cancel", "", null).statusCode())
            .as("once the payment failed the order can be cancelled")
            .isEqualTo(200);
    }

    @Test
    void neverLetsACancelAndAPaymentBothWinTheSameOrder() throws Exception {
        int orders = 12;
        List<JsonNode> placed = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            placed.add(placeOrder(300 + i, "EUR"));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2 * orders);
        List<Future<HttpResponse<String>>> cancels = new ArrayList<>();
        List<Future<HttpResponse<String>>> payments = new ArrayList<>();
        try {
            for (JsonNode order : placed) {
                cancels.add(pool.submit(() -> {
                    start.await();
                    return post("/api/orders/" + order.path("id").asString() + "/cancel", "", null);
                }));
                payments.add(pool.submit(() -> {
                    start.await();
                    return pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED);
                }));
            }
            start.countDown();
            for (int i = 0; i < orders; i++) {
                boolean cancelled = cancels.get(i).get().statusCode() == 200;
                boolean paid = payments.get(i).get().statusCode() == 201;
                assertThat(cancelled ^ paid).as("exactly one of cancel and pay wins order " + i).isTrue();
                JsonNode order = placed.get(i);
                String expected = cancelled ? "CANCELLED" : "PAID";
                await().atMost(PROCESSING)
                    .until(() -> json.readTree(get("/api/orders/" + order.path("id").asString()).body())
                        .path("status")
                        .asString()
                        .equals(expected));
                assertThat(paymentsFor(order)).isEqualTo(cancelled ? 0 : 1);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refundsASuccessThatReachesACancelledOrderAndSaysWhyOnTheTimeline() throws Exception {
        JsonNode order = placeOrder(1300, "EUR");
        JsonNode payment = awaitPayment(
                json.readTree(pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED).body()),
                "SUCCEEDED");
        UUID orderId = UUID.fromString(order.path("id").asString());
        UUID paymentId = UUID.fromString(payment.path("id").asString());
        await().atMost(PROCESSING)
            .until(() -> json.readTree(get("/api/orders/" + orderId).body()).path("status").asString().equals("PAID"));
        // The race's outcome: the order was cancelled, then the payment's success arrived
        // (again).
        jdbc.sql("update payments.orders set status = 'CANCELLED', paid_by = null where id = ?")
            .param(orderId)
            .update();
        transaction.executeWithoutResult(
                status -> events.publishEvent(new PaymentSucceeded(paymentId, orderId, 1300, "EUR", "demo")));

        awaitPayment(payment, "REFUNDED");
        String timeline = get("/api/payments/" + paymentId + "/timeline").body();
        assertThat(timeline).contains("was cancelled before this payment succeeded");
        assertThat(json.readTree(get("/api/orders/" + orderId).body()).path("status").asString())
            .isEqualTo("CANCELLED");
        await().atMost(PROCESSING).until(() -> jdbc.sql("""
                select count(*) from event_publication where completion_date is null and listener_id like 'payments.%'
                and serialized_event like ?""").param("%" + paymentId + "%").query(Long.class).single() == 0);
    }

    @Test
    void replaysAnOrderPlacedAgainWithTheSameIdempotencyKey() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = """
                {"customerReference":"idem-%s","currency":"EUR","items":[{"description":"Lamp","quantity":2,"unitPrice":1999}]}
                """
            .formatted(UUID.randomUUID());

        HttpResponse<String> first = post("/api/orders", body, key);
        HttpResponse<String> again = post("/api/orders", body, key);
        HttpResponse<String> other = post("/api/orders", body.replace("\"quantity\":2", "\"quantity\":3"), key);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.headers().firstValue("Location"))
            .hasValue("/api/orders/" + json.readTree(first.body()).path("id").asString());
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertProblem(other, 422);
        assertProblem(post("/api/orders", body, "has space"), 400);
        assertThat(jdbc.sql("select count(*) from payments.orders where customer_reference = ?")
            .param(json.readTree(first.body()).path("customerReference").asString())
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void failsADeclinedPaymentWithTheProvidersReason() throws Exception {
        JsonNode payment = json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.DECLINED).body());

        JsonNode failed = awaitPayment(payment, "FAILED");

        assertThat(failed.path("failureReason").asString()).isEqualTo("declined: insufficient funds");
    }

    @Test
    void retriesTransientFailuresUntilTheProviderAnswers() throws Exception {
        JsonNode flaky = json
            .readTree(pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.FLAKY).body());
        JsonNode lostAnswer = json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.TIMEOUT).body());

        awaitPayment(flaky, "SUCCEEDED");
        awaitPayment(lostAnswer, "SUCCEEDED");
        assertThat(provider.callsFor(UUID.fromString(flaky.path("id").asString()))).isEqualTo(3);
    }

    @Test
    void failsWithRetriesExhaustedOnceTheDeadLetterTopicHasIt() throws Exception {
        JsonNode payment = json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.UNAVAILABLE).body());

        JsonNode failed = awaitPayment(payment, "FAILED");

        assertThat(failed.path("failureReason").asString()).isEqualTo("retries exhausted");
        assertThat(provider.callsFor(UUID.fromString(payment.path("id").asString()))).isEqualTo(3);
    }

    @Test
    void refusesPayingAnOrderThatIsNotPayable() throws Exception {
        JsonNode order = placeOrder(900, "EUR");
        assertThat(post("/api/orders/" + order.path("id").asString() + "/cancel", "", null).statusCode())
            .isEqualTo(200);

        assertProblem(pay(UUID.randomUUID().toString(), order, SimulatedPaymentProvider.APPROVED), 409);
        assertProblem(post("/api/orders/" + order.path("id").asString() + "/cancel", "", null), 409);
    }

    @Test
    void refundsPartlyThenFullyAndNeverMoreThanWasPaidCountingPendingRefunds() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"), SimulatedPaymentProvider.APPROVED).body()),
                "SUCCEEDED");
        String id = payment.path("id").asString();

        HttpResponse<String> partial = refund(id, UUID.randomUUID().toString(), 400);
        HttpResponse<String> tooMuch = refund(id, UUID.randomUUID().toString(), 601);
        HttpResponse<String> rest = refund(id, UUID.randomUUID().toString(), 600);

        assertThat(partial.statusCode()).isEqualTo(201);
        assertThat(json.readTree(partial.body()).path("status").asString()).isEqualTo("PENDING");
        assertThat(json.readTree(partial.body()).path("paymentStatus").asString()).isEqualTo("SUCCEEDED");
        assertProblem(tooMuch, 409);
        assertThat(rest.statusCode()).isEqualTo(201);
        assertProblem(refund(id, UUID.randomUUID().toString(), 1), 409);
        awaitPayment(payment, "REFUNDED");
        String refundId = json.readTree(rest.body()).path("id").asString();
        JsonNode settled = json.readTree(get("/api/payments/" + id + "/refunds/" + refundId).body());
        assertThat(settled.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(settled.path("settledAt").isMissingNode()).isFalse();
        assertThat(provider.callsForRefund(UUID.fromString(refundId))).isEqualTo(1);
    }

    @Test
    void failsARefundTheProviderDeclinesAndFreesItsAmount() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"), SimulatedPaymentProvider.REFUND_DECLINED)
                    .body()),
                "SUCCEEDED");
        String id = payment.path("id").asString();

        String refundId = json.readTree(refund(id, UUID.randomUUID().toString(), 1000).body()).path("id").asString();

        await().atMost(PROCESSING)
            .until(() -> json.readTree(get("/api/payments/" + id + "/refunds/" + refundId).body())
                .path("status")
                .asString()
                .equals("FAILED"));
        JsonNode failed = json.readTree(get("/api/payments/" + id + "/refunds/" + refundId).body());
        assertThat(failed.path("failureReason").asString()).contains("declined");
        JsonNode after = json.readTree(get("/api/payments/" + id).body());
        assertThat(after.path("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(after.path("pendingRefunds").path("minorUnits").asLong()).isZero();
        assertThat(after.path("refunded").path("minorUnits").asLong()).isZero();
        await().atMost(PROCESSING)
            .until(() -> get("/api/payments/" + id + "/timeline").body().contains("RefundFailed"));
    }

    @Test
    void retriesARefundThroughTheRetryTopicsWhenTheProviderFailsTransiently() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"), SimulatedPaymentProvider.FLAKY).body()),
                "SUCCEEDED");

        String refundId = json
            .readTree(refund(payment.path("id").asString(), UUID.randomUUID().toString(), 1000).body())
            .path("id")
            .asString();

        awaitPayment(payment, "REFUNDED");
        assertThat(provider.callsForRefund(UUID.fromString(refundId))).isEqualTo(2);
    }

    @Test
    void keepsConcurrentRefundsWithinTheAmount() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"), SimulatedPaymentProvider.APPROVED).body()),
                "SUCCEEDED");
        UUID id = UUID.fromString(payment.path("id").asString());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<HttpResponse<String>>> responses = new ArrayList<>();
        long granted = 0;
        try {
            for (int i = 0; i < 10; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return refund(id.toString(), UUID.randomUUID().toString(), 300);
                }));
            }
            start.countDown();
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> done = response.get();
                assertThat(done.statusCode()).isIn(201, 409);
                granted += done.statusCode() == 201 ? 300 : 0;
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(granted).isLessThanOrEqualTo(1000).isPositive();
        long expected = granted;
        await().atMost(PROCESSING)
            .until(() -> jdbc.sql("select pending_refund_minor from payments.payments where id = ?")
                .param(id)
                .query(Long.class)
                .single() == 0);
        assertThat(jdbc.sql("select refunded_minor from payments.payments where id = ?")
            .param(id)
            .query(Long.class)
            .single()).isEqualTo(expected);
    }

    @Test
    void replaysARefundForARepeatedKey() throws Exception {
        JsonNode payment = awaitPayment(json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(1000, "EUR"), SimulatedPaymentProvider.APPROVED).body()),
                "SUCCEEDED");
        String key = UUID.randomUUID().toString();

        HttpResponse<String> first = refund(payment.path("id").asString(), key, 250);
        HttpResponse<String> again = refund(payment.path("id").asString(), key, 250);

        assertThat(again.body()).isEqualTo(first.body());
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        await().atMost(PROCESSING)
            .until(() -> jdbc.sql("select refunded_minor from payments.payments where id = ?")
                .param(UUID.fromString(payment.path("id").asString()))
                .query(Long.class)
                .single() == 250);
        assertThat(jdbc.sql("select count(*) from payments.refunds where payment_id = ?")
            .param(UUID.fromString(payment.path("id").asString()))
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void listsDeadLettersAndRequeuesOne() throws Exception {
        JsonNode payment = json.readTree(
                pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.UNAVAILABLE).body());
        UUID id = UUID.fromString(payment.path("id").asString());
        awaitPayment(payment, "FAILED");

        assertThat(get("/api/payments/dead-letters").body()).contains(id.toString());
        assertThat(post("/api/payments/dead-letters/" + id + "/requeue", "", null).statusCode()).isEqualTo(202);

        await().atMost(PROCESSING).until(() -> provider.callsFor(id) == 6 && status(id).equals("FAILED"));
        assertProblem(post("/api/payments/dead-letters/" + UUID.fromString(json
            .readTree(
                    pay(UUID.randomUUID().toString(), placeOrder(700, "EUR"), SimulatedPaymentProvider.DECLINED).body())
            .path("id")
            .asString()) + "/requeue", "", null), 409);
    }

    @Test
    void showsTheWholeChainOnTheTimelineAndNotifiesTheCustomerOnce() throws Exception {
        String key = UUID.randomUUID().toString();
        JsonNode order = placeOrder(1500, "EUR");
        JsonNode payment = awaitPayment(json.readTree(pay(key, order, SimulatedPaymentProvider.APPROVED).body()),
                "SUCCEEDED");
        String id = payment.path("id").asString();

        await().atMost(PROCESSING)
            .until(() -> get("/api/payments/" + id + "/timeline").body().contains("order-paid via email: sent"));
        JsonNode timeline = json.readTree(get("/api/payments/" + id + "/timeline").body());

        assertThat(timeline.valueStream().map(entry -> entry.path("kind").asString())).contains("request", "transition",
                "event", "notification");
        assertThat(timeline.get(0).path("description").asString()).contains(key);
        assertThat(timeline.toString()).contains("PaymentRequested", "PaymentSucceeded");
        assertThat(
                jdbc.sql("select count(*) from payments.notifications where order_id = ? and template = 'order-paid'")
                    .param(UUID.fromString(order.path("id").asString()))
                    .query(Long.class)
                    .single())
            .isEqualTo(1);
    }

    private HttpResponse<String> refund(String payment, String key, long amount) throws Exception {
        return post("/api/payments/" + payment + "/refunds",
                "{\"amount\":" + amount + ",\"currency\":\"EUR\",\"reason\":\"test\"}", key);
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

    private long chargesFor(JsonNode order) {
        return jdbc.sql("select id from payments.payments where order_id = ?")
            .param(UUID.fromString(order.path("id").asString()))
            .query(UUID.class)
            .list()
            .stream()
            .mapToLong(provider::callsFor)
            .sum();
    }

    private JsonNode awaitPayment(String body, String status) throws Exception {
        return awaitPayment(json.readTree(body), status);
    }

    private <T> List<T> concurrently(int count, Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
        finally {
            pool.shutdownNow();
        }
    }

    private String status(UUID payment) {
        return jdbc.sql("select status from payments.payments where id = ?")
            .param(payment)
            .query(String.class)
            .single();
    }

    private long paymentsFor(JsonNode order) {
        return jdbc.sql("select count(*) from payments.payments where order_id = ?")
            .param(UUID.fromString(order.path("id").asString()))
            .query(Long.class)
            .single();
    }

    private JsonNode placeOrder(long unitPrice, String currency) throws Exception {
        HttpResponse<String> response = post("/api/orders",
                """
                        {"customerReference":"cust-%s","currency":"%s","items":[{"description":"Widget","quantity":1,"unitPrice":%d}]}
                        """
                    .formatted(UUID.randomUUID(), currency, unitPrice),
                null);
        assertThat(response.statusCode()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private HttpResponse<String> pay(String key, JsonNode order, String paymentMethod) throws Exception {
        return send(key,
                "{\"orderId\":\"%s\",\"amount\":%d,\"currency\":\"%s\",\"paymentMethod\":\"%s\"}".formatted(
                        order.path("id").asString(), order.path("total").asLong(), order.path("currency").asString(),
                        paymentMethod));
    }

    private HttpResponse<String> send(String key, String body) throws Exception {
        return post("/api/payments", body, key);
    }

    private HttpResponse<String> post(String path, String body, String idempotencyKey) throws Exception {
        return new FlowPayHttp(port).post(path, body, idempotencyKey);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return new FlowPayHttp(port).get(path);
    }

    private void assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(json.readTree(response.body()).path("status").asInt()).isEqualTo(status);
    }

}
