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
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * kill -9 in the middle of a burst of payments and webhook messages, then a restart:
 * every payment ends SUCCEEDED or FAILED within the reconciliation bound, every accepted
 * message reaches every subscribed endpoint, no endpoint sees a webhook-id again after
 * its success was recorded, and no event publication stays incomplete. Bounds are
 * shortened for the children.
 */
class CrashRecoveryIT {

    private static final String API_KEY = "demo-key-change-me";

    /** unresolved-after plus one reconciliation interval, as set below. */
    private static final Duration RECONCILIATION_BOUND = Duration.ofSeconds(6 + 1);

    private static final List<String> METHODS = List.of("pm_card_visa", "pm_card_timeout", "pm_card_flaky",
            "pm_card_declined");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void losesNothingAndRepeatsNoSuccessAcrossAKillNine() throws Exception {
        Instant started = Instant.now();
        SharedServices services = remember(new SharedServices());
        CountingReceiver receiver = remember(new CountingReceiver());
        List<String> arguments = new ArrayList<>(services.arguments());
        arguments.addAll(SharedServices.QUICK_TAKEOVER);
        arguments.addAll(List.of("--quartet.payments.processing-timeout=2s", "--quartet.payments.unresolved-after=6s",
                "--quartet.payments.reconciliation-interval=1s", "--quartet.events.resubmission.min-age=1s"));
        ChildApplication app = remember(new ChildApplication("crash", arguments)).start();

        String eventType = "crash.t" + System.nanoTime();
        for (String path : List.of("/a", "/b")) {
            HttpResponse<String> endpoint = post(app, "/api/webhooks/endpoints",
                    "{\"url\":\"" + receiver.url(path) + "\",\"eventTypes\":[\"" + eventType + "\"]}", Map.of());
            assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
        }
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> order = post(app, "/api/orders",
                    "{\"customerReference\":\"crash\",\"currency\":\"EUR\","
                            + "\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":500}]}",
                    Map.of());
            orders.add(UUID.fromString(json.readTree(order.body()).path("id").asString()));
        }

        // The burst: payments and messages at once, and a kill -9 once part of it is
        // through.
        ExecutorService clients = Executors.newFixedThreadPool(6);
        AtomicInteger answered = new AtomicInteger();
        List<CompletableFuture<Integer>> burst = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            String body = "{\"orderId\":\"" + orders.get(i)
                    + "\",\"amount\":500,\"currency\":\"EUR\",\"paymentMethod\":\"" + METHODS.get(i % METHODS.size())
                    + "\"}";
            burst.add(submit(clients, answered, app, "/api/payments", body,
                    Map.of("Idempotency-Key", "crash-" + orders.get(i))));
        }
        for (int i = 0; i < 40; i++) {
            burst.add(submit(clients, answered, app, "/api/webhooks/messages",
                    "{\"eventType\":\"" + eventType + "\",\"payload\":{\"n\":" + i + "}}", Map.of()));
        }
        await().atMost(Duration.ofSeconds(60))
            .until(() -> answered.get() >= burst.size() / 2 && !receiver.hits().isEmpty());
        app.kill();
        clients.shutdown();
        long accepted = burst.stream()
            .map(CompletableFuture::join)
            .filter(status -> status >= 200 && status < 300)
            .count();
        assertThat(accepted).as("requests accepted before the kill").isPositive();
        System.out.println("CrashRecoveryIT: killed after " + accepted + " of " + burst.size()
                + " requests were accepted and " + receiver.hits().size() + " webhook requests arrived");

        app.start();
        JdbcClient jdbc = services.jdbc();
        await("every payment terminal").atMost(RECONCILIATION_BOUND.plusSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql("SELECT status FROM payments.payments WHERE order_id IN (:orders)")
                .param("orders", orders)
                .query(String.class)
                .list()).isNotEmpty().allMatch(status -> status.equals("SUCCEEDED") || status.equals("FAILED")));

        await("every delivery succeeded").atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql("""
                    SELECT d.status FROM webhooks.deliveries d JOIN webhooks.messages m ON m.id = d.message_id
                    WHERE m.event_type = :type""").param("type", eventType).query(String.class).list()).isNotEmpty()
                .containsOnly("SUCCEEDED"));
        List<Map<String, Object>> deliveries = jdbc.sql("""
                SELECT 'msg_' || m.id AS webhook_id, e.url, d.updated_at FROM webhooks.deliveries d
                JOIN webhooks.messages m ON m.id = d.message_id JOIN webhooks.endpoints e ON e.id = d.endpoint_id
                WHERE m.event_type = :type""").param("type", eventType).query().listOfRows();
        assertThat(deliveries).hasSizeGreaterThanOrEqualTo((int) Math.min(accepted, 1) * 2);
        List<CountingReceiver.Hit> hits = receiver.hits();
        for (Map<String, Object> delivery : deliveries) {
            String webhookId = (String) delivery.get("webhook_id");
            String path = URI.create((String) delivery.get("url")).getPath();
            Instant succeeded = ((Timestamp) delivery.get("updated_at")).toInstant();
            List<CountingReceiver.Hit> received = hits.stream()
                .filter(hit -> hit.path().equals(path) && webhookId.equals(hit.webhookId()))
                .toList();
            assertThat(received).as(webhookId + " at " + path).isNotEmpty();
            assertThat(received).as(webhookId + " at " + path + " after its success at " + succeeded)
                .noneMatch(hit -> hit.at().isAfter(succeeded));
        }

        await("no incomplete event publication").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(() -> assertThat(jdbc.sql("""
                    SELECT listener_id || ' ' || event_type FROM event_publication
                    WHERE completion_date IS NULL AND publication_date >= :started""")
                .param("started", Timestamp.from(started))
                .query(String.class)
                .list()).isEmpty());
    }

    private <T extends AutoCloseable> T remember(T resource) {
        resources.add(resource);
        return resource;
    }

    private CompletableFuture<Integer> submit(ExecutorService clients, AtomicInteger answered, ChildApplication app,
            String path, String body, Map<String, String> headers) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return post(app, path, body, headers).statusCode();
            }
            catch (IOException e) {
                return -1; // unknown outcome: the process died while answering
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            finally {
                answered.incrementAndGet();
            }
        }, clients);
    }

    private HttpResponse<String> post(ChildApplication app, String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url(path)))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("X-API-Key", API_KEY)
            .POST(BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), BodyHandlers.ofString());
    }

}
