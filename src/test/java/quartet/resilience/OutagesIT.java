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
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import quartet.platform.messaging.TopicReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One application process whose RabbitMQ, Redis, PostgreSQL and Kafka connections run
 * through {@link TcpProxy proxies}, each cut in turn for a few seconds under light load
 * (webhook messages, payments, redirects of one short link). Every answer is a success or
 * a 503 problem+json within the request timeout, health shows the cut service DOWN while
 * it lasts, everything flows after the heal, and nothing acknowledged is lost: each
 * accepted message is delivered, each accepted payment settles, each redirect is counted
 * as a click, and every event publication of the scenario completes.
 * <p>
 * Kafka clients connect wherever the broker's metadata says it is, so proxying the
 * bootstrap address alone would be bypassed after the first request. The scenario
 * therefore runs a broker of its own ({@link ProxiedKafka}) that advertises the proxy's
 * port, instead of the broker the other scenarios share: that one is leased per JVM to
 * whoever asks, and a setting that sent its clients through one test's proxy has no
 * business in the application's configuration. While Kafka is cut, payments are still
 * accepted (the outbox holds their processing requests) and settle after the heal; a
 * message to an endpoint that answers 410 disables it during the cut, and its
 * EndpointDisabled, bound for a topic the producer has not used yet, reaches Kafka after
 * the heal.
 */
class OutagesIT {

    private static final String API_KEY = "demo-key-change-me";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration CUT = Duration.ofSeconds(4);

    /**
     * What one request of the load got: its status (-1 for no answer), when it was sent
     * and how long it took.
     */
    record Outcome(String kind, int status, String contentType, long sentNanos, long millis, String body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    private final List<AutoCloseable> resources = new ArrayList<>();

    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

    private final ScheduledExecutorService load = Executors.newScheduledThreadPool(3);

    @AfterEach
    void stopEverything() throws Exception {
        load.shutdownNow();
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void answersOrRefusesClearlyAndLosesNothingWhileEachServiceIsCut() throws Exception {
        ProxiedKafka kafka = remember(new ProxiedKafka());
        SharedServices services = remember(
                new SharedServices(Map.of("spring.kafka.bootstrap-servers", kafka.bootstrapServers())));
        OffsetDateTime scenarioStart = services.jdbc().sql("SELECT now()").query(OffsetDateTime.class).single();
        CountingReceiver receiver = remember(new CountingReceiver());
        Matcher postgres = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)(/.*)")
            .matcher(services.property("spring.datasource.url", ""));
        assertThat(postgres.matches()).as("a PostgreSQL URL with host and port").isTrue();
        Map<String, TcpProxy> proxies = new LinkedHashMap<>();
        proxies.put("rabbit", remember(new TcpProxy("rabbit", services.property("spring.rabbitmq.host", "127.0.0.1"),
                Integer.parseInt(services.property("spring.rabbitmq.port", "5672")))));
        proxies.put("redis", remember(new TcpProxy("redis", services.property("spring.data.redis.host", "127.0.0.1"),
                Integer.parseInt(services.property("spring.data.redis.port", "6379")))));
        proxies.put("db", remember(new TcpProxy("postgres", postgres.group(1), Integer.parseInt(postgres.group(2)))));
        proxies.put("kafka", kafka.proxy());

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("spring.rabbitmq.host", "127.0.0.1");
        overrides.put("spring.rabbitmq.port", String.valueOf(proxies.get("rabbit").port()));
        overrides.put("spring.data.redis.host", "127.0.0.1");
        overrides.put("spring.data.redis.port", String.valueOf(proxies.get("redis").port()));
        overrides.put("spring.datasource.url",
                "jdbc:postgresql://127.0.0.1:" + proxies.get("db").port() + postgres.group(3));
        // Publications that failed while a broker was away are resubmitted within
        // seconds, not minutes.
        overrides.put("quartet.events.resubmission.interval", "1s");
        overrides.put("quartet.events.resubmission.min-age", "1s");
        // A publication whose outcome could not be recorded while PostgreSQL was away
        // stays in
        // progress until the staleness monitor fails it (after 5 minutes in
        // application.yaml): here within seconds.
        overrides.put("spring.modulith.events.staleness.check-intervall", "1s");
        overrides.put("spring.modulith.events.staleness.published", "15s");
        overrides.put("spring.modulith.events.staleness.processing", "15s");
        overrides.put("spring.modulith.events.staleness.resubmission", "15s");
        overrides.put("quartet.webhooks.republish-lost-after", "3s");
        overrides.put("quartet.shortener.click-flush-interval", "1s");
        List<String> arguments = new ArrayList<>();
        // A repeated command-line argument would become a list: the proxies replace the
        // services' own.
        services.arguments()
            .stream()
            .filter(argument -> !overrides.containsKey(argument.substring(2, argument.indexOf('='))))
            .forEach(arguments::add);
        overrides.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        ChildApplication app = remember(new ChildApplication("outages", arguments)).start();

        String eventType = "outage.t" + System.nanoTime();
        HttpResponse<String> endpoint = post(app, "/api/webhooks/endpoints",
                "{\"url\":\"" + receiver.url("/outage") + "\",\"eventTypes\":[\"" + eventType + "\"]}", Map.of());
        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        HttpResponse<String> link = post(app, "/api/links", "{\"targetUrl\":\"https://example.org/outage\"}", Map.of());
        assertThat(link.statusCode()).as(link.body()).isEqualTo(201);
        String code = json.readTree(link.body()).path("code").asString();
        // Answers 410 to a message sent while Kafka is cut: its EndpointDisabled goes to
        // a topic the producer has not seen yet.
        HttpResponse<String> goneEndpoint = post(app, "/api/webhooks/endpoints", "{\"url\":\""
                + receiver.url(CountingReceiver.GONE + "/outage") + "\",\"eventTypes\":[\"" + eventType + ".gone\"]}",
                Map.of());
        assertThat(goneEndpoint.statusCode()).as(goneEndpoint.body()).isEqualTo(201);
        String goneEndpointId = json.readTree(goneEndpoint.body()).path("id").asString();

        load.scheduleWithFixedDelay(() -> record("message", () -> post(app, "/api/webhooks/messages",
                "{\"eventType\":\"" + eventType + "\",\"payload\":{\"at\":" + System.nanoTime() + "}}", Map.of())), 0,
                150, TimeUnit.MILLISECONDS);
        load.scheduleWithFixedDelay(() -> {
            Outcome order = record("order",
                    () -> post(app, "/api/orders",
                            "{\"customerReference\":\"outage\",\"currency\":\"EUR\","
                                    + "\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":700}]}",
                            Map.of()));
            if (order.status() == 201) {
                String orderId = json.readTree(order.body()).path("id").asString();
                record("payment",
                        () -> post(app, "/api/payments",
                                "{\"orderId\":\"" + orderId
                                        + "\",\"amount\":700,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}",
                                Map.of("Idempotency-Key", UUID.randomUUID().toString())));
            }
        }, 0, 300, TimeUnit.MILLISECONDS);
        load.scheduleWithFixedDelay(() -> record("redirect", () -> get(app, "/" + code)), 0, 200,
                TimeUnit.MILLISECONDS);

        long kafkaCutAt = 0;
        long kafkaHealedAt = 0;
        for (Map.Entry<String, TcpProxy> service : proxies.entrySet()) {
            String component = service.getKey();
            awaitFlowing(component + " before the cut");
            long cutAt = System.nanoTime();
            service.getValue().cut();
            await(component + " DOWN in health while cut").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> componentStatus(app, component).equals("DOWN"));
            long downAfter = System.nanoTime() - cutAt;
            if (component.equals("kafka")) {
                HttpResponse<String> gone = post(app, "/api/webhooks/messages",
                        "{\"eventType\":\"" + eventType + ".gone\",\"payload\":{}}", Map.of());
                assertThat(gone.statusCode()).as(gone.body()).isEqualTo(202);
            }
            await().pollDelay(Duration.ofNanos(Math.max(0, CUT.toNanos() - (System.nanoTime() - cutAt))))
                .until(() -> true);
            service.getValue().heal();
            long healedAt = System.nanoTime();
            await(component + " UP in health after the heal").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> componentStatus(app, component).equals("UP"));
            long upAfter = System.nanoTime() - healedAt;
            awaitFlowing(component + " after the heal");
            System.out.println("OutagesIT: " + component + " cut for " + Duration.ofNanos(healedAt - cutAt).toMillis()
                    + " ms, DOWN in health after " + Duration.ofNanos(downAfter).toMillis() + " ms, UP "
                    + Duration.ofNanos(upAfter).toMillis() + " ms after the heal, flowing "
                    + Duration.ofNanos(System.nanoTime() - healedAt).toMillis() + " ms after the heal");
            if (component.equals("kafka")) {
                kafkaCutAt = cutAt;
                kafkaHealedAt = healedAt;
            }
        }
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        Map<String, Map<Integer, Long>> tally = new LinkedHashMap<>();
        outcomes.forEach(outcome -> tally.computeIfAbsent(outcome.kind(), kind -> new LinkedHashMap<>())
            .merge(outcome.status(), 1L, Long::sum));
        System.out.println("OutagesIT: answers by kind and status " + tally + "; slowest "
                + outcomes.stream().mapToLong(Outcome::millis).max().orElse(0) + " ms");
        assertThat(outcomes).as("every answer a success or a 503 problem, within the request timeout")
            .allSatisfy(outcome -> assertThat(outcome.status() < 500
                    || (outcome.status() == 503 && outcome.contentType().startsWith("application/problem+json")))
                .as(outcome.toString())
                .isTrue())
            .allSatisfy(outcome -> assertThat(outcome.status()).as(outcome.toString()).isIn(201, 202, 302, 503));

        JdbcClient jdbc = services.jdbc();
        List<String> accepted = outcomes.stream()
            .filter(outcome -> outcome.kind().equals("message") && outcome.status() == 202)
            .map(outcome -> "msg_" + json.readTree(outcome.body()).path("messageId").asString())
            .toList();
        await("every accepted message delivered").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(receiver.hits()
                .stream()
                .filter(hit -> hit.path().equals("/outage"))
                .map(CountingReceiver.Hit::webhookId)).containsAll(accepted));
        List<UUID> payments = outcomes.stream()
            .filter(outcome -> outcome.kind().equals("payment") && outcome.status() == 201)
            .map(outcome -> UUID.fromString(json.readTree(outcome.body()).path("id").asString()))
            .toList();
        assertThat(payments).isNotEmpty();
        long cutFrom = kafkaCutAt;
        long cutUntil = kafkaHealedAt;
        // The outbox stands between a request and Kafka: payments are taken while it is
        // away and processed after.
        assertThat(outcomes).as("payments accepted while Kafka was cut")
            .anyMatch(outcome -> outcome.kind().equals("payment") && outcome.status() == 201
                    && outcome.sentNanos() > cutFrom && outcome.sentNanos() < cutUntil);
        await("every accepted payment settled").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql("SELECT status FROM payments.payments WHERE id IN (:ids)")
                .param("ids", payments)
                .query(String.class)
                .list()).hasSize(payments.size()).containsOnly("SUCCEEDED"));
        try (TopicReader endpointsDisabled = TopicReader.of(
                new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())),
                "webhooks.endpoint-disabled")) {
            await("the endpoint disabled while Kafka was cut, announced on Kafka").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> endpointsDisabled.find(goneEndpointId) != null);
        }
        await("every event publication of the scenario completed").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql(
                    "SELECT event_type || ' for ' || listener_id || ': ' || coalesce(status, '?') FROM event_publication"
                            + " WHERE completion_date IS NULL AND publication_date >= ?")
                .param(scenarioStart)
                .query(String.class)
                .list()).isEmpty());
        long redirects = outcomes.stream()
            .filter(outcome -> outcome.kind().equals("redirect") && outcome.status() == 302)
            .count();
        await("every redirect counted").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(
                    jdbc.sql("SELECT coalesce(sum(total_clicks), 0) FROM shortener.link_clicks WHERE code = ?")
                        .param(code)
                        .query(Long.class)
                        .single())
                .isEqualTo(redirects));
    }

    /** A message, an order and a payment go through again. */
    private void awaitFlowing(String when) {
        await(when + ": ingestion answers").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(250))
            .until(() -> {
                List<Outcome> all = List.copyOf(outcomes);
                List<Outcome> recent = all.subList(Math.max(0, all.size() - 12), all.size());
                return recent.stream().anyMatch(outcome -> outcome.kind().equals("message") && outcome.status() == 202)
                        && recent.stream()
                            .anyMatch(outcome -> outcome.kind().equals("payment") && outcome.status() == 201)
                        && recent.stream()
                            .anyMatch(outcome -> outcome.kind().equals("redirect") && outcome.status() == 302);
            });
    }

    private String componentStatus(ChildApplication app, String component) throws IOException, InterruptedException {
        // Components are shown to an admin only: ops is the test configuration's admin
        // client.
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(app.url("/actuator/health")))
            .header("X-API-Key", "ops-test-key")
            .timeout(REQUEST_TIMEOUT)
            .build(), BodyHandlers.ofString());
        JsonNode status = json.readTree(health.body()).path("components").path(component).path("status");
        return status.isMissingNode() ? "MISSING" : status.asString();
    }

    private interface Call {

        HttpResponse<String> call() throws IOException, InterruptedException;

    }

    private Outcome record(String kind, Call call) {
        long started = System.nanoTime();
        Outcome outcome;
        try {
            HttpResponse<String> response = call.call();
            outcome = new Outcome(kind, response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    started, (System.nanoTime() - started) / 1_000_000, response.body());
        }
        catch (HttpTimeoutException e) {
            outcome = new Outcome(kind, -1, "", started, (System.nanoTime() - started) / 1_000_000,
                    "no answer within " + REQUEST_TIMEOUT);
        }
        catch (IOException e) {
            outcome = new Outcome(kind, -1, "", started, (System.nanoTime() - started) / 1_000_000, e.toString());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(kind, 0, "", started, 0, "interrupted");
        }
        outcomes.add(outcome);
        return outcome;
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.add(resource);
        return resource;
    }

    private HttpResponse<String> get(ChildApplication app, String path) throws IOException, InterruptedException {
        // A client address per request: the redirect limit is per IP, and this is load,
        // not a flood from one client.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String client = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
        return http.send(HttpRequest.newBuilder(URI.create(app.url(path)))
            .timeout(REQUEST_TIMEOUT)
            .header("X-Forwarded-For", client)
            .build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> post(ChildApplication app, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path)))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("X-API-Key", API_KEY)
            .POST(BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), BodyHandlers.ofString());
    }

}
