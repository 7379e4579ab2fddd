package quartet.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every FlowPay and DispatchGo route, acted on by the client that owns the resource
 * (alice), by another client (bob) and by an admin (ops), over real HTTP against the real
 * engines. Bob gets 404 for alice's resources (never 403, so he cannot tell they exist)
 * and never sees them in a list; whatever bob tried, alice reads her resource back
 * unchanged. The admin sees and manages everything. The table must name every route the
 * two modules map, so a new route without a row fails
 * {@link #coversEveryPaymentsAndWebhooksRoute()}.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class ClientOwnershipTests {

    private static final Duration SETTLING = Duration.ofSeconds(60);

    // refused at once: deliveries fail fast
    private static final String UNREACHABLE = "http://127.0.0.1:9/ownership";

    /** The three actors, by the keys of the test configuration. */
    enum Actor {

        OWNER("alice-test-key"), OTHER("bob-test-key"), ADMIN("ops-test-key");

        final String key;

        Actor(String key) {
            this.key = key;
        }

    }

    /**
     * What an actor's answer must be; for lists, whether alice's resource is in the body.
     */
    record Expect(int status, Listing listing) {

        static Expect status(int status) {
            return new Expect(status, Listing.ANY);
        }

        static Expect shows() {
            return new Expect(200, Listing.SHOWS);
        }

        static Expect hides() {
            return new Expect(200, Listing.HIDES);
        }
    }

    enum Listing {

        ANY, SHOWS, HIDES

    }

    /**
     * One request.
     *
     * @param marker the id of alice's resource a listing shows or hides
     * @param readBack what alice reads to see that a refused request changed nothing
     */
    record Call(String method, String path, String body, String idempotencyKey, String marker, List<String> readBack) {

        static Call get(String path, String marker) {
            return new Call("GET", path, null, null, marker, List.of());
        }

        Call readingBack(String... paths) {
            return new Call(method, path, body, idempotencyKey, marker, List.of(paths));
        }

        Call withKey() {
            return new Call(method, path, body, UUID.randomUUID().toString(), marker, readBack);
        }
    }

    /**
     * A row of the table.
     *
     * @param call the request, made from alice's resources
     * @param freshForAdmin whether the admin acts on resources of its own (alice's were
     * used up by her own request)
     */
    record Row(String route, Function<Fixtures, Call> call, Expect owner, Expect other, Expect admin,
            boolean freshForAdmin) {

        @Override
        public String toString() {
            return route;
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private final HttpClient http = HttpClient.newHttpClient();

    static Stream<Row> routes() {
        return Stream.of(
                // FlowPay
                new Row("POST /api/orders",
                        f -> new Call("POST", "/api/orders", orderBody(500), null, null, List.of()).withKey(),
                        Expect.status(201), Expect.status(201), Expect.status(201), false),
                new Row("GET /api/orders", f -> Call.get("/api/orders?size=100", f.order()), Expect.shows(),
                        Expect.hides(), Expect.shows(), false),
                new Row("GET /api/orders/{id}",
                        f -> Call.get("/api/orders/" + f.order(), null).readingBack("/api/orders/" + f.order()),
                        Expect.status(200), Expect.status(404), Expect.status(200), false),
                new Row("POST /api/orders/{id}/cancel",
                        f -> new Call("POST", "/api/orders/" + f.order() + "/cancel", "", null, null,
                                List.of("/api/orders/" + f.order())),
                        Expect.status(200), Expect.status(404), Expect.status(200), true),
                new Row("POST /api/payments",
                        f -> new Call("POST", "/api/payments", paymentBody(f.order(), 500, "pm_card_visa"), null, null,
                                List.of("/api/orders/" + f.order(), "/api/payments?orderId=" + f.order()))
                            .withKey(),
                        Expect.status(201), Expect.status(404), Expect.status(201), true),
                new Row("GET /api/payments", f -> Call.get("/api/payments?orderId=" + f.paidOrder(), f.paidPayment()),
                        Expect.shows(), Expect.hides(), Expect.shows(), false),
                new Row("GET /api/payments/{id}",
                        f -> Call.get("/api/payments/" + f.paidPayment(), null)
                            .readingBack("/api/payments/" + f.paidPayment()),
                        Expect.status(200), Expect.status(404), Expect.status(200), false),
                new Row("GET /api/payments/{id}/timeline",
                        f -> Call.get("/api/payments/" + f.paidPayment() + "/timeline", null), Expect.status(200),
                        Expect.status(404), Expect.status(200), false),
                new Row("POST /api/payments/{id}/refunds",
                        f -> new Call("POST", "/api/payments/" + f.refundablePayment() + "/refunds",
                                "{\"amount\":100,\"currency\":\"EUR\",\"reason\":\"ownership\"}", null, null,
                                List.of("/api/payments/" + f.refundablePayment()))
                            .withKey(),
                        Expect.status(201), Expect.status(404), Expect.status(201), false),
                new Row("GET /api/payments/{id}/refunds/{refundId}",
                        f -> Call.get("/api/payments/" + f.paidPayment() + "/refunds/" + f.refund(), null),
                        Expect.status(200), Expect.status(404), Expect.status(200), false),
                new Row("GET /api/payments/dead-letters", f -> Call.get("/api/payments/dead-letters", f.deadLettered()),
                        Expect.shows(), Expect.hides(), Expect.shows(), false),
                new Row("POST /api/payments/dead-letters/{paymentId}/requeue",
                        f -> new Call("POST", "/api/payments/dead-letters/" + f.deadLettered() + "/requeue", "", null,
                                null, List.of("/api/payments/" + f.deadLettered())),
                        Expect.status(202), Expect.status(404), Expect.status(202), true),
                new Row("GET /api/notifications",
                        f -> Call.get("/api/notifications?orderId=" + f.paidOrder(), f.paidPayment()), Expect.shows(),
                        Expect.hides(), Expect.shows(), false),
                // An operation over every client's events, not a resource: refused
                // outright to clients that are not admins.
                new Row("POST /api/notifications/replay",
                        f -> new Call("POST", "/api/notifications/replay",
                                "{\"since\":\"" + Instant.now().minusSeconds(5) + "\"}", null, null, List.of()),
                        Expect.status(403), Expect.status(403), Expect.status(200), false),
                // DispatchGo
                new Row("POST /api/webhooks/endpoints",
                        f -> new Call("POST", "/api/webhooks/endpoints", endpointBody("ownership.created"), null, null,
                                List.of()),
                        Expect.status(201), Expect.status(201), Expect.status(201), false),
                new Row("GET /api/webhooks/endpoints", f -> Call.get("/api/webhooks/endpoints", f.endpoint()),
                        Expect.shows(), Expect.hides(), Expect.shows(), false),
                new Row("GET /api/webhooks/endpoints/{id}",
                        f -> Call.get("/api/webhooks/endpoints/" + f.endpoint(), null)
                            .readingBack("/api/webhooks/endpoints/" + f.endpoint()),
                        Expect.status(200), Expect.status(404), Expect.status(200), false),
                new Row("PATCH /api/webhooks/endpoints/{id}",
                        f -> new Call("PATCH", "/api/webhooks/endpoints/" + f.endpoint(),
                                "{\"enabled\":false,\"rateLimitPerSecond\":7}", null, null,
                                List.of("/api/webhooks/endpoints/" + f.endpoint())),
                        Expect.status(200), Expect.status(404), Expect.status(200), true),
                new Row("DELETE /api/webhooks/endpoints/{id}",
                        f -> new Call("DELETE", "/api/webhooks/endpoints/" + f.endpoint(), null, null, null,
                                List.of("/api/webhooks/endpoints/" + f.endpoint())),
                        Expect.status(204), Expect.status(404), Expect.status(204), true),
                new Row("POST /api/webhooks/endpoints/{id}/secret/rotate",
                        f -> new Call("POST", "/api/webhooks/endpoints/" + f.endpoint() + "/secret/rotate", "", null,
                                null, List.of("/api/webhooks/endpoints/" + f.endpoint())),
                        Expect.status(200), Expect.status(404), Expect.status(200), false),
                new Row("POST /api/webhooks/endpoints/{id}/recover",
                        f -> new Call("POST", "/api/webhooks/endpoints/" + f.failedDeliveryEndpoint() + "/recover",
                                "{\"since\":\"" + Instant.now().minusSeconds(3600) + "\"}", null, null,
                                List.of("/api/webhooks/deliveries/" + f.failedDelivery())),
                        Expect.status(202), Expect.status(404), Expect.status(202), true),
                new Row("POST /api/webhooks/messages", f -> new Call("POST", "/api/webhooks/messages",
                        "{\"eventType\":\"ownership.posted\"," + "\"payload\":{\"n\":1}}", null, null, List.of()),
                        Expect.status(202), Expect.status(202), Expect.status(202), false),
                new Row("GET /api/webhooks/deliveries",
                        f -> Call.get("/api/webhooks/deliveries?limit=500", f.failedDelivery()), Expect.shows(),
                        Expect.hides(), Expect.shows(), false),
                new Row("GET /api/webhooks/deliveries/{id}",
                        f -> Call.get("/api/webhooks/deliveries/" + f.failedDelivery(), null)
                            .readingBack("/api/webhooks/deliveries/" + f.failedDelivery()),
                        Expect.status(200), Expect.status(404), Expect.status(200), false),
                new Row("POST /api/webhooks/deliveries/{id}/redrive",
                        f -> new Call("POST", "/api/webhooks/deliveries/" + f.failedDelivery() + "/redrive", "", null,
                                null, List.of("/api/webhooks/deliveries/" + f.failedDelivery())),
                        Expect.status(202), Expect.status(404), Expect.status(202), true));
    }

    /**
     * alice's resources that rows only read, created on first use and shared by the whole
     * class.
     */
    private static final Map<String, String> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("routes")
    void keepsEachClientsResourcesToItselfAndLetsTheAdminManageThem(Row row) throws Exception {
        Fixtures fixtures = new Fixtures();
        Call call = row.call().apply(fixtures);
        Map<String, String> before = readBack(call);

        HttpResponse<String> other = send(Actor.OTHER, call);
        check(row, Actor.OTHER, row.other(), call, other);
        assertThat(readBack(call)).as(row + ": what bob's request left of alice's resources").isEqualTo(before);

        check(row, Actor.OWNER, row.owner(), call, send(Actor.OWNER, call));

        Call adminCall = row.freshForAdmin() ? row.call().apply(new Fixtures()) : call;
        check(row, Actor.ADMIN, row.admin(), adminCall, send(Actor.ADMIN, adminCall));
    }

    @Test
    void coversEveryPaymentsAndWebhooksRoute() {
        Set<String> mapped = new TreeSet<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping : mappings.getHandlerMethods().entrySet()) {
            String module = mapping.getValue().getBeanType().getPackageName();
            if (module.startsWith("payments") || module.startsWith("webhooks")) {
                mapping.getKey()
                    .getMethodsCondition()
                    .getMethods()
                    .forEach(method -> mapping.getKey()
                        .getPathPatternsCondition()
                        .getPatternValues()
                        .forEach(pattern -> mapped.add(method.name() + " " + pattern)));
            }
        }
        assertThat(routes().map(Row::route)).containsExactlyInAnyOrderElementsOf(mapped);
    }

    @Test
    void fansPaymentEventsOutToTheOwningClientsEndpointsOnly() throws Exception {
        String alicesEndpoint = createEndpoint(Actor.OWNER, "payment.*");
        String bobsEndpoint = createEndpoint(Actor.OTHER, "payment.*");
        String adminsEndpoint = createEndpoint(Actor.ADMIN, "payment.*");
        Fixtures fixtures = new Fixtures();

        String payment = fixtures.pay(fixtures.placeOrder(1000), 1000, "pm_card_visa", "SUCCEEDED");

        JsonNode delivery = await().atMost(SETTLING)
            .until(() -> deliveriesTo(Actor.OWNER, alicesEndpoint), list -> !list.isEmpty())
            .get(0);
        assertThat(delivery.path("eventType").asString()).isEqualTo("payment.succeeded");
        assertThat(deliveriesTo(Actor.OWNER, alicesEndpoint)).hasSize(1);
        // Every delivery of the event was written in the transaction that wrote alice's.
        assertThat(deliveriesTo(Actor.ADMIN, bobsEndpoint)).isEmpty();
        assertThat(deliveriesTo(Actor.ADMIN, adminsEndpoint)).isEmpty();
        String timeline = await().atMost(SETTLING)
            .until(() -> send(Actor.OWNER, Call.get("/api/payments/" + payment + "/timeline", null)).body(),
                    body -> body.contains(alicesEndpoint));
        assertThat(timeline).doesNotContain(bobsEndpoint).doesNotContain(adminsEndpoint);
    }

    @Test
    void deliversAClientsMessagesToItsOwnEndpointsOnlyAndAnAdminsToTheAdminsOwn() throws Exception {
        String type = "ownership.t" + UUID.randomUUID().toString().replace("-", "");
        String alicesEndpoint = createEndpoint(Actor.OWNER, type);
        String bobsEndpoint = createEndpoint(Actor.OTHER, type);
        String adminsEndpoint = createEndpoint(Actor.ADMIN, type);
        String key = UUID.randomUUID().toString();
        String message = "{\"eventType\":\"" + type + "\",\"payload\":{\"n\":1},\"idempotencyKey\":\"" + key + "\"}";

        JsonNode alices = json.readTree(
                send(Actor.OWNER, new Call("POST", "/api/webhooks/messages", message, null, null, List.of())).body());
        // bob uses the same idempotency key: his own message, not a replay of alice's
        HttpResponse<String> bobsAnswer = send(Actor.OTHER,
                new Call("POST", "/api/webhooks/messages", message, null, null, List.of()));
        JsonNode bobs = json.readTree(bobsAnswer.body());
        JsonNode admins = json.readTree(
                send(Actor.ADMIN, new Call("POST", "/api/webhooks/messages", message, null, null, List.of())).body());

        assertThat(endpointsOf(alices)).containsExactly(alicesEndpoint);
        String alicesDelivery = alices.path("deliveries").get(0).path("id").asString();
        assertThat(json.readTree(send(Actor.ADMIN, Call.get("/api/webhooks/deliveries/" + alicesDelivery, null)).body())
            .path("owner")
            .asString()).isEqualTo("alice");
        assertThat(json.readTree(send(Actor.ADMIN, Call.get("/api/webhooks/endpoints/" + bobsEndpoint, null)).body())
            .path("owner")
            .asString()).isEqualTo("bob");
        assertThat(endpointsOf(bobs)).containsExactly(bobsEndpoint);
        assertThat(endpointsOf(admins)).containsExactly(adminsEndpoint);
        assertThat(bobsAnswer.statusCode()).isEqualTo(202);
        assertThat(bobsAnswer.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(Set.of(alices.path("messageId").asString(), bobs.path("messageId").asString(),
                admins.path("messageId").asString()))
            .hasSize(3);
        HttpResponse<String> alicesRepeat = send(Actor.OWNER,
                new Call("POST", "/api/webhooks/messages", message, null, null, List.of()));
        assertThat(alicesRepeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json.readTree(alicesRepeat.body()).path("messageId").asString())
            .isEqualTo(alices.path("messageId").asString());
    }

    @Test
    void scopesOrderAndPaymentIdempotencyKeysToTheClient() throws Exception {
        String key = UUID.randomUUID().toString();
        Call placing = new Call("POST", "/api/orders", orderBody(800), key, null, List.of());

        HttpResponse<String> alices = send(Actor.OWNER, placing);
        HttpResponse<String> bobs = send(Actor.OTHER, placing);
        HttpResponse<String> alicesRepeat = send(Actor.OWNER, placing);

        assertThat(List.of(alices.statusCode(), bobs.statusCode(), alicesRepeat.statusCode())).containsOnly(201);
        assertThat(bobs.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(alicesRepeat.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        String alicesOrder = json.readTree(alices.body()).path("id").asString();
        String bobsOrder = json.readTree(bobs.body()).path("id").asString();
        assertThat(bobsOrder).isNotEqualTo(alicesOrder);
        assertThat(json.readTree(alicesRepeat.body()).path("id").asString()).isEqualTo(alicesOrder);

        // One key for both clients' payments (a client's keys span its routes, so not the
        // order's): two payments.
        String paymentKey = UUID.randomUUID().toString();
        HttpResponse<String> alicesPayment = send(Actor.OWNER, new Call("POST", "/api/payments",
                paymentBody(alicesOrder, 800, "pm_card_visa"), paymentKey, null, List.of()));
        HttpResponse<String> bobsPayment = send(Actor.OTHER, new Call("POST", "/api/payments",
                paymentBody(bobsOrder, 800, "pm_card_visa"), paymentKey, null, List.of()));
        assertThat(alicesPayment.statusCode()).as(alicesPayment.body()).isEqualTo(201);
        assertThat(bobsPayment.statusCode()).as(bobsPayment.body()).isEqualTo(201);
        assertThat(json.readTree(bobsPayment.body()).path("orderId").asString()).isEqualTo(bobsOrder);
    }

    @Test
    void aPaymentAnAdminMakesForAClientsOrderBelongsToThatClient() throws Exception {
        String order = new Fixtures().order();

        HttpResponse<String> paid = send(Actor.ADMIN, new Call("POST", "/api/payments",
                paymentBody(order, 500, "pm_card_visa"), UUID.randomUUID().toString(), null, List.of()));

        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
        String payment = json.readTree(paid.body()).path("id").asString();
        assertThat(json.readTree(paid.body()).path("owner").asString()).isEqualTo("alice");
        assertThat(json.readTree(send(Actor.ADMIN, Call.get("/api/orders/" + order, null)).body())
            .path("owner")
            .asString()).isEqualTo("alice");
        assertThat(send(Actor.OWNER, Call.get("/api/payments/" + payment, null)).statusCode()).isEqualTo(200);
        assertThat(send(Actor.OTHER, Call.get("/api/payments/" + payment, null)).statusCode()).isEqualTo(404);
    }

    @Test
    void refusesMessagesOfTheTypesQuartetSendsItselfWhileEndpointsMaySubscribeToThem() throws Exception {
        for (String type : List.of("payment.succeeded", "order.paid", "refund.failed", "payment", "Payment.Succeeded",
                "ORDER.paid", "webhooks.endpoint-disabled", "link.created", "quartet.anything")) {
            for (Actor actor : List.of(Actor.OWNER, Actor.ADMIN)) {
                HttpResponse<String> refused = send(actor, new Call("POST", "/api/webhooks/messages",
                        "{\"eventType\":\"" + type + "\",\"payload\":{\"forged\":true}}", null, null, List.of()));
                assertThat(refused.statusCode()).as(type + " by " + actor).isEqualTo(422);
                assertThat(refused.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("application/problem+json");
                String prefix = type.substring(0, type.contains(".") ? type.indexOf('.') : type.length()).toLowerCase()
                        + ".";
                JsonNode problem = json.readTree(refused.body());
                assertThat(problem.path("reservedPrefix").asString()).isEqualTo(prefix);
                assertThat(problem.path("detail").asString()).contains(prefix + "*");
            }
        }
        for (String type : List.of("payments-report.ready", "orderly.done", "invoice.paid", "demo.ping")) {
            assertThat(
                    send(Actor.OWNER,
                            new Call("POST", "/api/webhooks/messages",
                                    "{\"eventType\":\"" + type + "\",\"payload\":{}}", null, null, List.of()))
                        .statusCode())
                .as(type)
                .isEqualTo(202);
        }
        assertThat(createEndpoint(Actor.OWNER, "payment.*")).isNotBlank();
    }

    private void check(Row row, Actor actor, Expect expect, Call call, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(row + " by " + actor + ": " + response.body()).isEqualTo(expect.status());
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(row + " by " + actor)
                .startsWith("application/problem+json");
            assertThat(response.body()).as(row + " by " + actor + " must not leak a secret").doesNotContain("whsec_");
        }
        switch (expect.listing()) {
            case SHOWS -> assertThat(response.body()).as(row + " by " + actor).contains(call.marker());
            case HIDES -> assertThat(response.body()).as(row + " by " + actor).doesNotContain(call.marker());
            case ANY -> {
            }
        }
    }

    private Map<String, String> readBack(Call call) throws Exception {
        Map<String, String> bodies = new LinkedHashMap<>();
        for (String path : call.readBack()) {
            HttpResponse<String> response = send(Actor.OWNER, Call.get(path, null));
            bodies.put(path, response.statusCode() + " " + response.body());
        }
        return bodies;
    }

    private HttpResponse<String> send(Actor actor, Call call) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + call.path()))
            .timeout(Duration.ofSeconds(30))
            .header("X-API-Key", actor.key);
        if (call.idempotencyKey() != null) {
            request.header("Idempotency-Key", call.idempotencyKey());
        }
        if (call.body() != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(call.method(),
                call.body() == null ? BodyPublishers.noBody() : BodyPublishers.ofString(call.body()));
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private String createEndpoint(Actor actor, String eventType) throws Exception {
        HttpResponse<String> created = send(actor,
                new Call("POST", "/api/webhooks/endpoints", endpointBody(eventType), null, null, List.of()));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return json.readTree(created.body()).path("id").asString();
    }

    private List<JsonNode> deliveriesTo(Actor actor, String endpoint) throws Exception {
        HttpResponse<String> listed = send(actor, Call.get("/api/webhooks/deliveries?endpointId=" + endpoint, null));
        assertThat(listed.statusCode()).isEqualTo(200);
        return json.readTree(listed.body()).valueStream().toList();
    }

    private static List<String> endpointsOf(JsonNode accepted) {
        return accepted.path("deliveries")
            .valueStream()
            .map(delivery -> delivery.path("endpointId").asString())
            .toList();
    }

    private static String orderBody(long amount) {
        return "{\"customerReference\":\"ownership\",\"currency\":\"EUR\",\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":"
                + amount + "}]}";
    }

    private static String paymentBody(String order, long amount, String method) {
        return "{\"orderId\":\"" + order + "\",\"amount\":" + amount + ",\"currency\":\"EUR\",\"paymentMethod\":\""
                + method + "\"}";
    }

    private static String endpointBody(String eventType) {
        return "{\"url\":\"" + UNREACHABLE + "\",\"eventTypes\":[\"" + eventType + "\"]}";
    }

    /**
     * alice's resources, each created on first use. Some take a while to reach their
     * state (a payment through the provider, a delivery through its attempts), so the
     * rows that only read them share one set.
     */
    final class Fixtures {

        private final Map<String, String> made = new LinkedHashMap<>();

        String order() {
            return once(made, "order", () -> placeOrder(500));
        }

        String paidOrder() {
            return once(SHARED, "paidOrder", () -> placeOrder(1000));
        }

        /** A SUCCEEDED payment whose customer was notified. */
        String paidPayment() {
            return once(SHARED, "paidPayment", () -> {
                String payment = pay(paidOrder(), 1000, "pm_card_visa", "SUCCEEDED");
                awaitBody("/api/notifications?orderId=" + paidOrder(), body -> body.contains("order-paid"));
                return payment;
            });
        }

        /** A settled refund of the paid payment. */
        String refund() {
            return once(SHARED, "refund", () -> {
                String payment = paidPayment();
                String refund = idOf(call(new Call("POST", "/api/payments/" + payment + "/refunds",
                        "{\"amount\":100,\"currency\":\"EUR\",\"reason\":\"fixture\"}", null, null, List.of())
                    .withKey(), 201));
                awaitBody("/api/payments/" + payment + "/refunds/" + refund, body -> body.contains("\"SUCCEEDED\""));
                awaitBody("/api/payments/" + payment, body -> body.contains("\"pendingRefunds\":{\"minorUnits\":0"));
                return refund;
            });
        }

        /** A SUCCEEDED payment of its own, for the refund row (refunds change it). */
        String refundablePayment() {
            return once(made, "refundablePayment", () -> pay(placeOrder(1000), 1000, "pm_card_visa", "SUCCEEDED"));
        }

        /** A payment whose processing was dead-lettered: FAILED, retries exhausted. */
        String deadLettered() {
            return once(made, "deadLettered", () -> pay(placeOrder(700), 700, "pm_card_unavailable", "FAILED"));
        }

        String endpoint() {
            return once(made, "endpoint", () -> {
                try {
                    return createEndpoint(Actor.OWNER, "ownership.fixture");
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        String failedDeliveryEndpoint() {
            failedDelivery();
            return made.get("failedDeliveryEndpoint");
        }

        /** A delivery to an unreachable endpoint, FAILED after its last attempt. */
        String failedDelivery() {
            return once(made, "failedDelivery", () -> {
                String type = "ownership.t" + UUID.randomUUID().toString().replace("-", "");
                try {
                    made.put("failedDeliveryEndpoint", createEndpoint(Actor.OWNER, type));
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                JsonNode accepted = json.readTree(call(new Call("POST", "/api/webhooks/messages",
                        "{\"eventType\":\"" + type + "\",\"payload\":{}}", null, null, List.of()), 202));
                String delivery = accepted.path("deliveries").get(0).path("id").asString();
                awaitBody("/api/webhooks/deliveries/" + delivery, body -> body.contains("\"status\":\"FAILED\""));
                return delivery;
            });
        }

        /**
         * The named resource, made now unless it was before; never inside a map's own
         * compute (a maker may make others).
         */
        private static String once(Map<String, String> resources, String name, Supplier<String> make) {
            String made = resources.get(name);
            if (made == null) {
                made = make.get();
                resources.put(name, made);
            }
            return made;
        }

        private String placeOrder(long amount) {
            return idOf(call(new Call("POST", "/api/orders", orderBody(amount), null, null, List.of()), 201));
        }

        private String pay(String order, long amount, String method, String status) {
            String payment = idOf(
                    call(new Call("POST", "/api/payments", paymentBody(order, amount, method), null, null, List.of())
                        .withKey(), 201));
            awaitBody("/api/payments/" + payment, body -> body.contains("\"status\":\"" + status + "\""));
            return payment;
        }

        private String call(Call call, int status) {
            try {
                HttpResponse<String> response = send(Actor.OWNER, call);
                assertThat(response.statusCode()).as(call.method() + " " + call.path() + ": " + response.body())
                    .isEqualTo(status);
                return response.body();
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private String idOf(String body) {
            return json.readTree(body).path("id").asString();
        }

        private void awaitBody(String path, java.util.function.Predicate<String> done) {
            await().atMost(SETTLING).until(() -> done.test(send(Actor.OWNER, Call.get(path, null)).body()));
        }

    }

}
