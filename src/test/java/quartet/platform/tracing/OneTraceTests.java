package quartet.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import payments.processing.SimulatedPaymentProvider;
import quartet.QuartetApplication;
import quartet.platform.tracing.OtlpReceiver.ExportedSpan;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One trace from the request to the webhook: a payment created under a caller's
 * traceparent keeps that trace id through the publication registry, Kafka and AMQP, in
 * the merchant's webhook request, in the spans a collector receives, in the log lines on
 * the way and on the payment's timeline; and a listener resubmitted from the registry
 * resumes its publisher's trace.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.opentelemetry.tracing.export.schedule-delay=100ms",
                "logging.level.payments.processing.PaymentProcessing=debug",
                "logging.level.webhooks.delivery.DeliveryAttempts=debug" })
@AutoConfigureTracing
@Import(OneTraceTests.Probes.class)
@ExtendWith(OutputCaptureExtension.class)
class OneTraceTests {

    private static final Duration CHAIN = Duration.ofSeconds(60);

    private static final String KEY = "demo-key-change-me";

    private static final OtlpReceiver collector = start();

    @LocalServerPort
    int port;

    @Autowired
    Tracer tracer;

    @Autowired
    Propagator propagator;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    FailedEventPublications failed;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FailingOnce probes;

    @Autowired
    JsonMapper json;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void exportTo(DynamicPropertyRegistry registry) {
        registry.add("management.opentelemetry.tracing.export.otlp.endpoint", collector::endpoint);
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void carriesTheCallersTraceFromThePaymentRequestToTheWebhookAttempt(CapturedOutput output) throws Exception {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String callerSpan = HexFormat.of().formatHex(randomBytes(8));
        try (Merchant merchant = new Merchant()) {
            String endpoint = created(post("/api/webhooks/endpoints",
                    "{\"url\":\"" + merchant.url() + "\",\"eventTypes\":[\"payment.succeeded\"]}", null, null))
                .path("id")
                .asString();
            try {
                JsonNode order = created(post("/api/orders",
                        """
                                {"customerReference":"trace-%s","currency":"EUR","items":[{"description":"Lamp","quantity":1,"unitPrice":900}]}
                                """
                            .formatted(UUID.randomUUID()),
                        null, null));
                String orderId = order.path("id").asString();
                JsonNode payment = created(post("/api/payments",
                        "{\"orderId\":\"%s\",\"amount\":900,\"currency\":\"EUR\",\"paymentMethod\":\"%s\"}"
                            .formatted(orderId, SimulatedPaymentProvider.APPROVED),
                        UUID.randomUUID().toString(), "00-" + traceId + "-" + callerSpan + "-01"));
                String paymentId = payment.path("id").asString();

                // (a) the merchant's webhook request continues the caller's trace, from
                // the attempt's own span
                String traceparent = await().atMost(CHAIN).until(merchant::firstTraceparent, value -> value != null);
                assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-01").doesNotContain(callerSpan);

                // (b) the collector has the spans of every hop, all in the caller's trace
                List<ExportedSpan> spans = await().atMost(CHAIN)
                    .until(() -> collector.spansOf(traceId), OneTraceTests::everyHop);
                assertThat(spans).filteredOn(span -> span.kind() == SpanKind.SPAN_KIND_SERVER)
                    .anySatisfy(server -> assertThat(server.parentSpanId()).isEqualTo(callerSpan));
                assertThat(spans).filteredOn(span -> span.kind() == SpanKind.SPAN_KIND_CLIENT)
                    .anySatisfy(attempt -> assertThat(traceparent).contains(attempt.spanId()));

                // (c) the log lines on the way name the trace: the charge (a Kafka
                // consumer) and the attempt (an AMQP consumer)
                assertThat(linesWith(output, "Payment " + paymentId + " charged")).singleElement()
                    .asString()
                    .contains(traceId);
                assertThat(linesWith(output, "Delivery ", "attempted: HTTP 204"))
                    .anySatisfy(line -> assertThat(line).contains(traceId));

                // (d) the payment's timeline shows the trace of each event publication
                JsonNode timeline = await().atMost(CHAIN)
                    .until(() -> timeline(paymentId), entries -> events(entries).stream()
                        .anyMatch(event -> event.path("description").asString().startsWith("PaymentSucceeded")));
                assertThat(events(timeline)).isNotEmpty()
                    .allSatisfy(
                            event -> assertThat(event.path("details").path("traceId").asString()).isEqualTo(traceId));
            }
            finally {
                http.send(request("/api/webhooks/endpoints/" + endpoint).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Test
    void aWebhookRetryStaysInTheTraceOfTheMessage() throws Exception {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        try (Merchant merchant = new Merchant(1)) {
            String type = "trace.retry" + UUID.randomUUID().toString().substring(0, 8);
            String endpoint = created(post("/api/webhooks/endpoints",
                    "{\"url\":\"" + merchant.url() + "\",\"eventTypes\":[\"" + type + "\"]}", null, null))
                .path("id")
                .asString();
            try {
                JsonNode accepted = json
                    .readTree(post("/api/webhooks/messages", "{\"eventType\":\"" + type + "\",\"payload\":{}}", null,
                            "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01")
                        .body());
                String delivery = accepted.path("deliveries").get(0).path("id").asString();

                // The first attempt fails (500); the retry is queued by the re-publisher,
                // outside any request's trace.
                JsonNode done = await().atMost(CHAIN)
                    .until(() -> json.readTree(http.send(request("/api/webhooks/deliveries/" + delivery).GET().build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body()), view -> view.path("status").asString().equals("SUCCEEDED"));
                assertThat(merchant.traceparents).hasSize(2)
                    .allSatisfy(traceparent -> assertThat(traceparent).startsWith("00-" + traceId + "-"));
                assertThat(done.path("attempts")).hasSize(2)
                    .allSatisfy(attempt -> assertThat(attempt.path("traceId").asString()).isEqualTo(traceId));
            }
            finally {
                http.send(request("/api/webhooks/endpoints/" + endpoint).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    @Test
    void resumesThePublishersTraceWhenAFailedPublicationIsResubmitted() {
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String id = UUID.randomUUID().toString();
        Span publisher = propagator
            .extract(Map.of("traceparent", "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01"),
                    Map::get)
            .name("test publisher")
            .start();
        try (Tracer.SpanInScope scope = tracer.withSpan(publisher)) {
            transaction.executeWithoutResult(status -> events.publishEvent(new TracedProbe(id)));
        }
        finally {
            publisher.end();
        }
        await().atMost(CHAIN)
            .until(() -> jdbc.sql(
                    "SELECT count(*) FROM event_publication WHERE listener_id = ? AND status = 'FAILED' AND serialized_event LIKE ?")
                .params(FailingOnce.ID, "%" + id + "%")
                .query(Integer.class)
                .single() == 1);

        // Resubmitted from a thread outside that trace, with the event read back from the
        // registry.
        assertThat(tracer.currentSpan()).isNull();
        failed.resubmit(ResubmissionOptions.defaults()
            .withMinAge(Duration.ZERO)
            .withFilter(publication -> publication.getEvent() instanceof TracedProbe probe && probe.id().equals(id)));

        await().atMost(CHAIN).until(() -> probes.runs(id), runs -> runs.size() == 2);
        assertThat(probes.runs(id)).containsExactly(traceId, traceId);
    }

    /** An event for the probe listener below. */
    public record TracedProbe(String id) {
    }

    /**
     * A listener that fails its first run of each probe and remembers the trace of every
     * run.
     */
    static class FailingOnce {

        static final String ID = "test.tracing.failing-once";

        private final Tracer tracer;

        private final Map<String, List<String>> runs = new ConcurrentHashMap<>();

        FailingOnce(Tracer tracer) {
            this.tracer = tracer;
        }

        @ApplicationModuleListener(id = ID)
        void on(TracedProbe probe) {
            Span current = tracer.currentSpan();
            List<String> seen = runs.computeIfAbsent(probe.id(), it -> new CopyOnWriteArrayList<>());
            seen.add(current == null ? "none" : current.context().traceId());
            if (seen.size() == 1) {
                throw new IllegalStateException("the first run of a probe fails");
            }
        }

        List<String> runs(String id) {
            return List.copyOf(runs.getOrDefault(id, List.of()));
        }

    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Probes {

        @Bean
        FailingOnce failingOnce(Tracer tracer) {
            return new FailingOnce(tracer);
        }

    }

    /**
     * The server span of the request, a Kafka send and receive (Spring Kafka's
     * observations), an AMQP publish and consume (Spring AMQP's), a listener run from the
     * publication registry and the webhook attempt.
     */
    private static boolean everyHop(List<ExportedSpan> spans) {
        return has(spans, SpanKind.SPAN_KIND_SERVER, "http.url", "/api/payments")
                && has(spans, SpanKind.SPAN_KIND_PRODUCER, "messaging.destination.name", "payment.requests")
                && has(spans, SpanKind.SPAN_KIND_CONSUMER, "messaging.kafka.consumer.group", "payments-processor")
                && has(spans, SpanKind.SPAN_KIND_PRODUCER, "spring.rabbit.template.name", "rabbitTemplate")
                && has(spans, SpanKind.SPAN_KIND_CONSUMER, "spring.rabbit.listener.id", "webhooks.delivery-worker")
                && has(spans, SpanKind.SPAN_KIND_CONSUMER, "quartet.listener", "webhooks.payment-succeeded")
                && spans.stream()
                    .anyMatch(
                            span -> span.kind() == SpanKind.SPAN_KIND_CLIENT && span.name().equals("webhook attempt"));
    }

    private static boolean has(List<ExportedSpan> spans, SpanKind kind, String attribute, String value) {
        return spans.stream().anyMatch(span -> span.kind() == kind && span.attribute(attribute).equals(value));
    }

    private static List<String> linesWith(CapturedOutput output, String... parts) {
        return output.getAll().lines().filter(line -> List.of(parts).stream().allMatch(line::contains)).toList();
    }

    private static List<JsonNode> events(JsonNode timeline) {
        return timeline.valueStream().filter(entry -> entry.path("kind").asString().equals("event")).toList();
    }

    private JsonNode timeline(String paymentId) throws Exception {
        HttpResponse<String> response = http.send(request("/api/payments/" + paymentId + "/timeline").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> post(String path, String body, String idempotencyKey, String traceparent)
            throws Exception {
        HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", KEY);
    }

    private JsonNode created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return json.readTree(response.body());
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static OtlpReceiver start() {
        try {
            return new OtlpReceiver();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A merchant's webhook receiver on loopback that keeps the traceparent of each
     * request.
     */
    private static final class Merchant implements AutoCloseable {

        private final HttpServer server;

        private final List<String> traceparents = new CopyOnWriteArrayList<>();

        Merchant() throws IOException {
            this(0);
        }

        /**
         * @param failures how many requests are answered 500 before the others get 204
         */
        Merchant(int failures) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/hook", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    traceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
                    exchange.sendResponseHeaders(traceparents.size() <= failures ? 500 : 204, -1);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        String firstTraceparent() {
            return traceparents.isEmpty() ? null : traceparents.get(0);
        }

        @Override
        public void close() {
            server.stop(0);
        }

    }

}
