package quartet.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Three application processes on the same PostgreSQL, Redis, AMQP broker and Kafka, as
 * the Kubernetes base runs them: one Idempotency-Key makes one payment whichever instance
 * answers, a Redis policy limits all three together, every webhook reaches its endpoint
 * once per attempt, clicks counted on every instance add up exactly, and the reconcilers,
 * Kafka retries and delivery re-publishers never settle or send anything twice. Last, one
 * instance is killed with {@code kill -9} in the middle of a burst and the other two
 * finish its work within {@link #TAKEOVER_BOUND}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThreeInstancesIT {

    private static final String API_KEY = "demo-key-change-me";

    /**
     * The shared Redis policy under test: 5 tokens, refilled at 5 a minute (one every 12
     * s).
     */
    private static final long CAPACITY = 5;

    private static final Duration TOKEN_EVERY = Duration.ofSeconds(12);

    /**
     * From the kill to the last of its work done elsewhere: Kafka notices the dead
     * consumer after its session timeout (6 s here) and the survivors pick up its
     * partitions; stuck payments wait for the processing timeout and the next
     * reconciliation; its unacknowledged AMQP jobs return to the queue at once, and
     * deliveries it had claimed are re-published after republish-lost-after.
     */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(45);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    private final ExecutorService clients = Executors.newFixedThreadPool(16);

    private final List<AutoCloseable> resources = new ArrayList<>();

    private ChildApplication a;

    private ChildApplication b;

    private ChildApplication c;

    private List<ChildApplication> instances;

    private JdbcClient jdbc;

    private CountingReceiver receiver;

    @BeforeAll
    void startThreeInstances() throws Exception {
        SharedServices services = remember(new SharedServices());
        receiver = remember(new CountingReceiver());
        jdbc = services.jdbc();
        List<String> arguments = new ArrayList<>(services.arguments());
        // Reconcilers on both instances race the Kafka retries for the same stuck
        // payments. Both share the
        // simulated provider's record (in PostgreSQL, as a real provider is one service);
        // the extra
        // attempts leave room for the race.
        arguments.addAll(List.of("--quartet.payments.processing-timeout=300ms",
                "--quartet.payments.reconciliation-interval=300ms", "--quartet.payments.unresolved-after=30s",
                "--quartet.payments.max-processing-attempts=6",
                // Short bounds for the instance killed last: its Kafka partitions, outbox
                // entries and claimed
                // deliveries pass to the others within seconds rather than the production
                // defaults' minute.
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--quartet.events.resubmission.min-age=2s", "--quartet.shortener.click-flush-interval=500ms"));
        arguments.addAll(SharedServices.QUICK_TAKEOVER);
        arguments.addAll(policies());
        a = remember(new ChildApplication("instance-a", arguments));
        b = remember(new ChildApplication("instance-b", arguments));
        c = remember(new ChildApplication("instance-c", arguments));
        instances = List.of(a, b, c);
        CompletableFuture
            .allOf(instances.stream()
                .map(app -> CompletableFuture.runAsync(app::start, clients))
                .toArray(CompletableFuture[]::new))
            .join();
    }

    @AfterAll
    void stopEverything() throws Exception {
        clients.shutdownNow();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    @Order(1)
    void createsOnePaymentForAKeySentToEveryInstanceAtOnce() throws Exception {
        for (int round = 0; round < 6; round++) {
            UUID order = order(instances.get(round % 3));
            String key = "three-" + UUID.randomUUID();
            String body = "{\"orderId\":\"" + order
                    + "\",\"amount\":500,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}";
            Map<String, String> headers = Map.of("Idempotency-Key", key);
            List<CompletableFuture<HttpResponse<String>>> sent = instances.stream()
                .map(app -> CompletableFuture.supplyAsync(() -> send(app, "/api/payments", body, headers), clients))
                .toList();
            List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();

            assertThat(answers).extracting(HttpResponse::statusCode)
                .as(key)
                .allMatch(status -> status == 201 || status == 409);
            List<HttpResponse<String>> originals = answers.stream()
                .filter(answer -> answer.statusCode() == 201
                        && answer.headers().firstValue("Idempotent-Replayed").isEmpty())
                .toList();
            assertThat(originals).as("first answers for " + key).hasSize(1);
            String original = originals.get(0).body();
            // The others replay it, at once or, after a 409 in flight, on a retry.
            for (int i = 0; i < answers.size(); i++) {
                if (answers.get(i) != originals.get(0)) {
                    HttpResponse<String> replay = answers.get(i);
                    if (replay.statusCode() == 409) {
                        replay = send(instances.get(i), "/api/payments", body, headers);
                    }
                    assertThat(replay.statusCode()).isEqualTo(201);
                    assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
                    assertThat(replay.body()).isEqualTo(original);
                }
            }
            assertThat(jdbc.sql("SELECT count(*) FROM payments.payments WHERE order_id = ?")
                .param(order)
                .query(Long.class)
                .single()).as("payments of order " + order).isEqualTo(1);
        }
    }

    @Test
    @Order(2)
    void holdsARedisRateLimitAcrossAllInstances() {
        // A made-up client address, so no other run on a shared Redis spends from this
        // bucket.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String client = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
        Map<String, String> headers = Map.of("X-Forwarded-For", client);
        long started = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            ChildApplication app = instances.get(i % 3);
            requests.add(CompletableFuture.supplyAsync(() -> get(app, "/api/test/limited", headers), clients));
        }
        List<Integer> statuses = requests.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(statuses).as("answers").containsOnly(200, 429);
        long allowed = statuses.stream().filter(status -> status == 200).count();
        long refilled = elapsed.toNanos() / TOKEN_EVERY.toNanos() + 1;
        System.out.println("ThreeInstancesIT: " + allowed + " of 45 allowed across three instances in "
                + elapsed.toMillis() + " ms");
        // Separate buckets per instance would allow up to three times the capacity.
        assertThat(allowed).isBetween(CAPACITY, CAPACITY + refilled);
    }

    @Test
    @Order(3)
    void deliversEveryWebhookOncePerAttemptWhicheverInstanceIngestedIt() throws Exception {
        String eventType = "three.t" + System.nanoTime();
        for (String path : List.of("/once", CountingReceiver.FAIL_FIRST)) {
            HttpResponse<String> endpoint = send(a, "/api/webhooks/endpoints",
                    "{\"url\":\"" + receiver.url(path) + "\",\"eventTypes\":[\"" + eventType + "\"]}", Map.of());
            assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        }
        List<CompletableFuture<HttpResponse<String>>> ingested = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ChildApplication app = instances.get(i % 3);
            String body = "{\"eventType\":\"" + eventType + "\",\"payload\":{\"n\":" + i + "}}";
            ingested
                .add(CompletableFuture.supplyAsync(() -> send(app, "/api/webhooks/messages", body, Map.of()), clients));
        }
        List<String> webhookIds = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> message : ingested) {
            HttpResponse<String> answer = message.join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
            webhookIds.add("msg_" + json.readTree(answer.body()).path("messageId").asString());
        }

        await("every delivery succeeded").atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(300))
            .untilAsserted(() -> assertThat(jdbc.sql("""
                    SELECT d.status FROM webhooks.deliveries d JOIN webhooks.messages m ON m.id = d.message_id
                    WHERE m.event_type = :type""").param("type", eventType).query(String.class).list()).hasSize(60)
                .containsOnly("SUCCEEDED"));

        Map<String, List<CountingReceiver.Hit>> once = byWebhookId("/once");
        assertThat(once.keySet()).containsExactlyInAnyOrderElementsOf(webhookIds);
        assertThat(once).allSatisfy((id, hits) -> assertThat(hits).as(id)
            .singleElement()
            .extracting(CountingReceiver.Hit::status)
            .isEqualTo(204));

        // Failed first, retried once by whichever instance claimed it: two requests,
        // never a third.
        Map<String, List<CountingReceiver.Hit>> retried = byWebhookId(CountingReceiver.FAIL_FIRST);
        assertThat(retried.keySet()).containsExactlyInAnyOrderElementsOf(webhookIds);
        assertThat(retried).allSatisfy((id,
                hits) -> assertThat(hits).as(id).extracting(CountingReceiver.Hit::status).containsExactly(500, 204));
        List<Map<String, Object>> attempts = jdbc.sql("""
                SELECT d.id AS delivery, a.number, count(*) AS times FROM webhooks.attempts a
                JOIN webhooks.deliveries d ON d.id = a.delivery_id JOIN webhooks.messages m ON m.id = d.message_id
                JOIN webhooks.endpoints e ON e.id = d.endpoint_id
                WHERE m.event_type = :type AND e.url LIKE :path GROUP BY d.id, a.number""")
            .param("type", eventType)
            .param("path", "%" + CountingReceiver.FAIL_FIRST)
            .query()
            .listOfRows();
        assertThat(attempts).hasSize(60)
            .allSatisfy(row -> assertThat(((Number) row.get("times")).intValue()).as(row.toString()).isEqualTo(1));
    }

    @Test
    @Order(4)
    void settlesEachStuckPaymentOnceThoughEveryInstanceReconcilesAndRetries() throws Exception {
        List<UUID> payments = new ArrayList<>();
        List<String> methods = List.of("pm_card_timeout", "pm_card_flaky", "pm_card_timeout", "pm_card_visa");
        List<CompletableFuture<HttpResponse<String>>> created = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ChildApplication app = instances.get(i % 3);
            String body = "{\"orderId\":\"" + order(app) + "\",\"amount\":500,\"currency\":\"EUR\",\"paymentMethod\":\""
                    + methods.get(i % methods.size()) + "\"}";
            created.add(CompletableFuture.supplyAsync(
                    () -> send(app, "/api/payments", body, Map.of("Idempotency-Key", UUID.randomUUID().toString())),
                    clients));
        }
        for (CompletableFuture<HttpResponse<String>> payment : created) {
            HttpResponse<String> answer = payment.join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
            payments.add(UUID.fromString(json.readTree(answer.body()).path("id").asString()));
        }

        await("every payment settled").atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(300))
            .untilAsserted(() -> assertThat(jdbc
                .sql("SELECT status || coalesce(' ' || failure_reason, '') FROM payments.payments WHERE id IN (:ids)")
                .param("ids", payments)
                .query(String.class)
                .list()).hasSize(payments.size()).containsOnly("SUCCEEDED"));
        List<String> transitions = jdbc
            .sql("""
                    SELECT payment_id || ' ' || coalesce(from_status, '-') || '>' || to_status FROM payments.payment_transitions
                    WHERE payment_id IN (:ids) ORDER BY payment_id, position""")
            .param("ids", payments)
            .query(String.class)
            .list();
        Map<UUID, List<String>> byPayment = transitions.stream()
            .collect(Collectors.groupingBy(line -> UUID.fromString(line.substring(0, 36)),
                    Collectors.mapping(line -> line.substring(37), Collectors.toList())));
        assertThat(byPayment).hasSize(payments.size())
            .allSatisfy((id, steps) -> assertThat(steps).as(id.toString())
                .containsExactly("->CREATED", "CREATED>PROCESSING", "PROCESSING>SUCCEEDED"));
        // A loser of the race must not leave a dead letter behind for a payment that
        // succeeded.
        assertThat(jdbc.sql("SELECT count(*) FROM payments.dead_letters WHERE payment_id IN (:ids)")
            .param("ids", payments)
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    @Order(5)
    void countsEveryClickOnceAndStopsADisabledLinkOnEveryInstance() throws Exception {
        HttpResponse<String> created = send(a, "/api/links",
                "{\"targetUrl\":\"https://example.com/three-" + System.nanoTime() + "\"}", Map.of());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String code = json.readTree(created.body()).path("code").asString();
        for (int i = 0; i < 30; i++) {
            assertThat(get(instances.get(i % 3), "/" + code, Map.of()).statusCode()).isEqualTo(302);
        }

        // Each instance counts its own redirects in memory and flushes them as
        // increments: they add up, none twice.
        await("every click counted once").atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(250))
            .untilAsserted(() -> assertThat(json.readTree(get(b, "/api/links/" + code + "/stats", Map.of()).body())
                .path("totalClicks")
                .asLong()).isEqualTo(30));

        HttpResponse<String> disabled = exchange(HttpRequest.newBuilder(URI.create(a.url("/api/links/" + code)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("X-API-Key", API_KEY)
            .method("PATCH", BodyPublishers.ofString("{\"disabled\":true}"))
            .build());
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        await("the disabled link stops redirecting on every instance").atMost(Duration.ofSeconds(1))
            .pollInterval(Duration.ofMillis(50))
            .untilAsserted(() -> assertThat(instances)
                .allSatisfy(app -> assertThat(get(app, "/" + code, Map.of()).statusCode()).isNotEqualTo(302)));
    }

    /** Last: the killed instance stays down. */
    @Test
    @Order(6)
    void theOtherTwoFinishTheWorkOfAnInstanceKilledMidLoad() throws Exception {
        Instant started = Instant.now();
        String eventType = "three.kill" + System.nanoTime();
        HttpResponse<String> endpoint = send(a, "/api/webhooks/endpoints",
                "{\"url\":\"" + receiver.url("/takeover") + "\",\"eventTypes\":[\"" + eventType + "\"]}", Map.of());
        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            orders.add(order(instances.get(i % 3)));
        }
        List<String> methods = List.of("pm_card_visa", "pm_card_timeout", "pm_card_flaky");
        AtomicInteger answered = new AtomicInteger();
        List<CompletableFuture<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            String body = "{\"orderId\":\"" + orders.get(i)
                    + "\",\"amount\":500,\"currency\":\"EUR\",\"paymentMethod\":\"" + methods.get(i % methods.size())
                    + "\"}";
            burst.add(submit(answered, instances.get(i % 3), "/api/payments", body,
                    Map.of("Idempotency-Key", "takeover-" + orders.get(i))));
        }
        for (int i = 0; i < 45; i++) {
            burst.add(submit(answered, instances.get(i % 3), "/api/webhooks/messages",
                    "{\"eventType\":\"" + eventType + "\",\"payload\":{\"n\":" + i + "}}", Map.of()));
        }
        await().atMost(Duration.ofSeconds(60))
            .until(() -> answered.get() >= burst.size() / 2
                    && receiver.hits().stream().anyMatch(hit -> hit.path().equals("/takeover")));
        c.kill();
        long killedAt = System.nanoTime();
        long accepted = burst.stream()
            .map(CompletableFuture::join)
            .filter(status -> status >= 200 && status < 300)
            .count();
        System.out.println("ThreeInstancesIT: killed instance-c after " + accepted + " of " + burst.size()
                + " requests were accepted");

        await("every payment terminal on the survivors").atMost(TAKEOVER_BOUND)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql("SELECT status FROM payments.payments WHERE order_id IN (:orders)")
                .param("orders", orders)
                .query(String.class)
                .list()).isNotEmpty().allMatch(status -> status.equals("SUCCEEDED") || status.equals("FAILED")));
        Duration paymentsDone = Duration.ofNanos(System.nanoTime() - killedAt);
        await("every delivery succeeded on the survivors").atMost(TAKEOVER_BOUND)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql("""
                    SELECT d.status FROM webhooks.deliveries d JOIN webhooks.messages m ON m.id = d.message_id
                    WHERE m.event_type = :type""").param("type", eventType).query(String.class).list()).isNotEmpty()
                .containsOnly("SUCCEEDED"));
        Duration deliveriesDone = Duration.ofNanos(System.nanoTime() - killedAt);
        await("no incomplete event publication").atMost(TAKEOVER_BOUND)
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql("""
                    SELECT listener_id || ' ' || event_type FROM event_publication
                    WHERE completion_date IS NULL AND publication_date >= :started""")
                .param("started", Timestamp.from(started))
                .query(String.class)
                .list()).isEmpty());
        System.out.println("ThreeInstancesIT: after the kill, payments done in " + paymentsDone.toMillis()
                + " ms, deliveries in " + deliveriesDone.toMillis() + " ms, the outbox in "
                + Duration.ofNanos(System.nanoTime() - killedAt).toMillis() + " ms");

        // Every accepted message reached the endpoint, and none again after its success
        // was recorded.
        List<Map<String, Object>> deliveries = jdbc
            .sql("""
                    SELECT 'msg_' || m.id AS webhook_id, d.updated_at FROM webhooks.deliveries d JOIN webhooks.messages m ON m.id = d.message_id
                    WHERE m.event_type = :type""")
            .param("type", eventType)
            .query()
            .listOfRows();
        List<CountingReceiver.Hit> hits = receiver.hits()
            .stream()
            .filter(hit -> hit.path().equals("/takeover"))
            .toList();
        for (Map<String, Object> delivery : deliveries) {
            String webhookId = (String) delivery.get("webhook_id");
            Instant succeeded = ((Timestamp) delivery.get("updated_at")).toInstant();
            List<CountingReceiver.Hit> received = hits.stream()
                .filter(hit -> webhookId.equals(hit.webhookId()))
                .toList();
            assertThat(received).as(webhookId).isNotEmpty();
            assertThat(received).as(webhookId + " after its success at " + succeeded)
                .noneMatch(hit -> hit.at().isAfter(succeeded));
        }
        // The reconcilers and retries of two instances still settled each payment once.
        List<String> transitions = jdbc
            .sql("""
                    SELECT t.payment_id || ' ' || coalesce(t.from_status, '-') || '>' || t.to_status FROM payments.payment_transitions t
                    JOIN payments.payments p ON p.id = t.payment_id WHERE p.order_id IN (:orders) ORDER BY t.payment_id, t.position""")
            .param("orders", orders)
            .query(String.class)
            .list();
        Map<String, List<String>> byPayment = transitions.stream()
            .collect(Collectors.groupingBy(line -> line.substring(0, 36),
                    Collectors.mapping(line -> line.substring(37), Collectors.toList())));
        assertThat(byPayment).allSatisfy(
                (id, steps) -> assertThat(steps).as(id).hasSize(3).startsWith("->CREATED", "CREATED>PROCESSING"));
    }

    private CompletableFuture<Integer> submit(AtomicInteger answered, ChildApplication app, String path, String body,
            Map<String, String> headers) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return send(app, path, body, headers).statusCode();
            }
            catch (java.io.UncheckedIOException e) {
                return -1; // unknown outcome: the process died while answering
            }
            finally {
                answered.incrementAndGet();
            }
        }, clients);
    }

    private Map<String, List<CountingReceiver.Hit>> byWebhookId(String path) {
        return receiver.hits()
            .stream()
            .filter(hit -> hit.path().equals(path))
            .collect(Collectors.groupingBy(CountingReceiver.Hit::webhookId));
    }

    private UUID order(ChildApplication app) throws IOException {
        HttpResponse<String> order = send(app, "/api/orders", "{\"customerReference\":\"two\",\"currency\":\"EUR\","
                + "\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":500}]}", Map.of());
        assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
        JsonNode created = json.readTree(order.body());
        return UUID.fromString(created.path("id").asString());
    }

    /**
     * The test overlay's policies with a shared Redis one for /api/test/limited (a list
     * given here replaces the whole list).
     */
    private static List<String> policies() {
        List<String> arguments = new ArrayList<>();
        policy(arguments, 0, "two-tight", "/api/test/limited", CAPACITY, CAPACITY, "1m", "ip", "redis");
        policy(arguments, 1, "api", "/api/**", 100_000, 100_000, "1m", "client", "redis");
        policy(arguments, 2, "redirects", "/{code}", 60, 600, "1m", "ip", "local");
        policy(arguments, 3, "webhooks-outbound", null, 1000, 1000, "1s", "client", "redis");
        return arguments;
    }

    private static void policy(List<String> arguments, int index, String name, String pattern, long capacity,
            long refill, String period, String key, String store) {
        String prefix = "--quartet.ratelimit.policies[" + index + "].";
        arguments.add(prefix + "name=" + name);
        if (pattern != null) {
            arguments.add(prefix + "patterns[0]=" + pattern);
        }
        arguments.addAll(List.of(prefix + "capacity=" + capacity, prefix + "refill-tokens=" + refill,
                prefix + "refill-period=" + period, prefix + "key=" + key, prefix + "store=" + store));
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.add(resource);
        return resource;
    }

    private HttpResponse<String> get(ChildApplication app, String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path)))
            .timeout(Duration.ofSeconds(20))
            .header("X-API-Key", API_KEY);
        headers.forEach(request::header);
        return exchange(request.build());
    }

    private HttpResponse<String> send(ChildApplication app, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("X-API-Key", API_KEY)
            .POST(BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return exchange(request.build());
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
