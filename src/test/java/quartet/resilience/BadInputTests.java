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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.springframework.http.MediaType;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile input on every route the application maps, against the running application with
 * its real engines: malformed JSON, wrong types, huge and empty bodies, bad API keys,
 * idempotency keys and forwarded-for headers, hostile path variables and query strings,
 * and SSRF forms of webhook and link destinations. Whatever arrives, the answer is never
 * a 5xx, every 4xx is problem+json, and a rejected request leaves every module table as
 * it was.
 *
 * <p>
 * Requests are drawn from tables with a seeded random generator: the seed is printed, and
 * {@code -Dquartet.fuzz.seed=...} repeats a run; {@code -Dquartet.fuzz.requests=...} sets
 * how many (the default keeps the test well under a minute).
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class BadInputTests {

    private static final String API_KEY = "demo-key-change-me";

    // longer than the test retry cap (400 ms)
    private static final Duration QUIET = Duration.ofSeconds(1);

    private static final List<String> MALFORMED = HostileInputs.malformedBodies();

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    private RowCounts rows;

    private final java.time.Instant started = java.time.Instant.now();

    private final Map<String, String> seeds = new LinkedHashMap<>();

    @BeforeEach
    void seedOneOfEachResource() throws Exception {
        rows = new RowCounts(jdbc);
        JsonNode order = json.readTree(send("POST", "/api/orders", validOrder(), Map.of("X-API-Key", API_KEY)).body());
        seeds.put("order", order.path("id").asString());
        JsonNode payment = json.readTree(send("POST", "/api/payments",
                "{\"orderId\":\"" + seeds.get("order")
                        + "\",\"amount\":250,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}",
                Map.of("X-API-Key", API_KEY, "Idempotency-Key", UUID.randomUUID().toString()))
            .body());
        seeds.put("payment", payment.path("id").asString());
        JsonNode link = json.readTree(
                send("POST", "/api/links", "{\"targetUrl\":\"https://example.org/fuzz\"}", Map.of("X-API-Key", API_KEY))
                    .body());
        seeds.put("code", link.path("code").asString());
        JsonNode endpoint = json.readTree(send("POST", "/api/webhooks/endpoints",
                "{\"url\":\"http://127.0.0.1:9/fuzz\",\"eventTypes\":[\"fuzz.seed.only\"]}",
                Map.of("X-API-Key", API_KEY))
            .body());
        seeds.put("endpoint", endpoint.path("id").asString());
        assertThat(seeds.values()).doesNotContain("");
    }

    @Test
    void answersHostileRequestsToEveryRouteWithA4xxProblemAndPersistsNothing() throws Exception {
        long seed = Long.getLong("quartet.fuzz.seed", System.nanoTime());
        int requests = Integer.getInteger("quartet.fuzz.requests", 500);
        System.out.println("BadInputTests seed " + seed + " (-Dquartet.fuzz.seed=" + seed + " repeats this run)");
        Random random = new Random(seed);
        List<Route> routes = routes();
        assertThat(routes).extracting(Route::pattern)
            .contains("/api/orders", "/api/payments", "/api/webhooks/messages", "/api/links");

        Map<String, Long> before = quietCounts();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < requests && failures.size() < 10; i++) {
            Route route = HostileInputs.pick(random, routes);
            Probe probe = probe(random, route);
            Optional<HttpResponse<String>> answer = sendProbe(probe, failures);
            if (answer.isEmpty()) {
                continue;
            }
            HttpResponse<String> response = answer.get();
            statuses.merge(response.statusCode(), 1, Integer::sum);
            Map<String, Long> after = rows.snapshot();
            check(probe, response, before, after).ifPresent(failures::add);
            if (response.statusCode() < 300 && probe.method().equals("POST")
                    && probe.path().startsWith("/api/payments")) {
                // an accepted payment goes on working in the background (processing,
                // webhooks fan-out)
                after = quietCounts();
            }
            before = after;
        }
        System.out.println("BadInputTests answers by status: " + statuses);
        assertThat(failures).as("seed " + seed).isEmpty();
    }

    @Test
    void refusesEveryLoopbackPrivateOrMetadataWebhookDestination() throws Exception {
        Map<String, Long> before = quietCounts();
        for (String url : HostileInputs.SSRF_URLS) {
            HttpResponse<String> response = send("POST", "/api/webhooks/endpoints",
                    "{\"url\":\"" + url + "\",\"eventTypes\":[\"fuzz.*\"]}", Map.of("X-API-Key", API_KEY));
            assertThat(response.statusCode()).as(url + ": " + response.body()).isIn(400, 422);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(url)
                .startsWith("application/problem+json");
        }
        assertThat(RowCounts.differences(before, rows.snapshot())).isEmpty();
    }

    @Test
    void refusesShortLinksToLoopbackPrivateOrMetadataAddressLiterals() throws Exception {
        Map<String, Long> before = quietCounts();
        for (String url : HostileInputs.SSRF_URLS) {
            java.util.regex.Matcher authority = java.util.regex.Pattern
                .compile("^[a-z]+://(?:[^@/]*@)?(\\[[^\\]]*\\]|[^:/]*)")
                .matcher(url);
            String host = authority.find() ? authority.group(1) : "";
            if (!host.startsWith("[") && !host.matches("[0-9a-fx.]+")) {
                // a name: links accept names that do not resolve (yet), by design
                continue;
            }
            HttpResponse<String> response = send("POST", "/api/links", "{\"targetUrl\":\"" + url + "\"}",
                    Map.of("X-API-Key", API_KEY));
            assertThat(response.statusCode()).as(url + ": " + response.body()).isIn(400, 422);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(url)
                .startsWith("application/problem+json");
        }
        assertThat(RowCounts.differences(before, rows.snapshot())).isEmpty();
    }

    @Test
    void answersRequestsRefusedBeforeTheApplicationWithAProblem() throws Exception {
        // Tomcat refuses oversized headers, Spring Security's firewall refuses dot
        // segments, and the error page is not a resource.
        for (Probe probe : List.of(new Probe("GET", "/api/orders", null, null, Map.of("X-API-Key", "k".repeat(20_000))),
                new Probe("GET", "/api/orders/../payments", null, null, Map.of("X-API-Key", API_KEY)),
                new Probe("GET", "/error", null, null, Map.of()),
                new Probe("POST", "/error", "{}", "application/json", Map.of()))) {
            HttpResponse<String> response = send(probe.method(), probe.path(), probe.body(), probe.contentType(),
                    probe.headers());
            assertThat(response.statusCode()).as(probe.describe()).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(probe.describe())
                .startsWith("application/problem+json");
            assertThat(json.readTree(response.body()).path("status").asInt()).isEqualTo(response.statusCode());
        }
    }

    @Test
    void refusesLinkExpiriesBeyondWhatCanBeStored() throws Exception {
        Map<String, Long> before = quietCounts();
        for (String body : List.of("{\"targetUrl\":\"https://example.org/\",\"ttl\":9223372036854775807}",
                "{\"targetUrl\":\"https://example.org/\",\"ttl\":\"PT2562047788015215H\"}",
                "{\"targetUrl\":\"https://example.org/\",\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}")) {
            HttpResponse<String> response = send("POST", "/api/links", body, Map.of("X-API-Key", API_KEY));
            assertThat(response.statusCode()).as(body + ": " + response.body()).isEqualTo(400);
        }
        assertThat(RowCounts.differences(before, rows.snapshot())).isEmpty();
    }

    /**
     * Another client (bob) on every FlowPay and DispatchGo route, aimed at the demo
     * client's seeded resources with a valid body: each one he names is not found (404,
     * the answer an unknown id gets), a list shows him none of them, the replay is an
     * admin's, and nothing is persisted but the refusals stored for replay under bob's
     * own Idempotency-Keys.
     */
    @Test
    void answersAnotherClientAs404OnEveryRouteNamingTheDemosResourcesAndPersistsNothing() throws Exception {
        String delivery = json
            .readTree(send("POST", "/api/webhooks/messages", "{\"eventType\":\"fuzz.seed.only\",\"payload\":{}}",
                    Map.of("X-API-Key", API_KEY))
                .body())
            .path("deliveries")
            .get(0)
            .path("id")
            .asString();
        await().atMost(Duration.ofSeconds(60))
            .until(() -> send("GET", "/api/webhooks/deliveries/" + delivery, null, Map.of("X-API-Key", API_KEY)).body()
                .contains("\"status\":\"FAILED\""));
        Map<String, Long> before = quietCounts();
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Route route : routes()) {
            if (!route.pattern().matches("/api/(orders|payments|notifications|webhooks)(/.*)?")) {
                continue;
            }
            for (String method : route.methods()) {
                String request = method + " " + route.pattern();
                if (List.of("POST /api/orders", "POST /api/webhooks/endpoints", "POST /api/webhooks/messages")
                    .contains(request)) {
                    // creations: bob's own resources, nothing of the demo's is named
                    continue;
                }
                String path = route.pattern().replaceAll("\\{([^}:]+)(:[^}]*)?}", "{$1}");
                for (String variable : List.of("id", "paymentId", "refundId")) {
                    path = path.replace("{" + variable + "}", route.pattern().startsWith("/api/webhooks/deliveries")
                            ? delivery : seedFor(route.pattern(), variable));
                }
                if (!route.requiredParams().isEmpty() || request.equals("GET /api/notifications")) {
                    path += "?orderId=" + seeds.get("order");
                }
                String body = method.equals("GET") || method.equals("DELETE") ? null
                        : route.pattern().endsWith("/recover") ? "{\"since\":\"2020-01-01T00:00:00Z\"}"
                                : route.pattern().endsWith("/replay")
                                        ? "{\"since\":\"" + java.time.Instant.now() + "\"}" : template(request);
                HttpResponse<String> response = send(method, path, body,
                        Map.of("X-API-Key", "bob-test-key", "Idempotency-Key", UUID.randomUUID().toString()));
                tried++;
                int expected = route.pattern().contains("{") || request.equals("POST /api/payments") ? 404
                        : request.equals("POST /api/notifications/replay") ? 403 : 200;
                String answer = response.statusCode() + " for bob's " + method + " " + path + " -> "
                        + abbreviate(response.body());
                if (response.statusCode() != expected) {
                    failures.add("expected " + expected + ": " + answer);
                }
                else if (expected == 200 && Stream.concat(seeds.values().stream(), Stream.of(delivery))
                    .anyMatch(response.body()::contains)) {
                    failures.add("a list showed the demo's resources to bob: " + answer);
                }
                else if (expected >= 400 && !response.headers()
                    .firstValue("Content-Type")
                    .orElse("")
                    .startsWith("application/problem+json")) {
                    failures.add("not a problem: " + answer);
                }
                Map<String, String> changed = RowCounts.differences(before, rows.snapshot());
                // only delivery workers write it (other tests' retries run on)
                changed.remove("webhooks.attempts");
                // bob's refusals, stored under his keys for replay
                changed.remove("payments.idempotency_keys");
                if (!changed.isEmpty()) {
                    failures.add("rows changed " + changed + " after " + answer);
                    before = rows.snapshot();
                }
            }
        }
        assertThat(tried).as("routes tried").isGreaterThanOrEqualTo(20);
        assertThat(failures).isEmpty();
        for (String seed : List.of("order", "payment", "endpoint")) {
            String path = seed.equals("order") ? "/api/orders/"
                    : seed.equals("payment") ? "/api/payments/" : "/api/webhooks/endpoints/";
            assertThat(send("GET", path + seeds.get(seed), null, Map.of("X-API-Key", API_KEY)).statusCode()).as(seed)
                .isEqualTo(200);
        }
    }

    /**
     * One mapped route: a pattern and the methods it answers (all of them when none is
     * named).
     */
    record Route(String pattern, Set<String> methods, Set<String> requiredParams) {
    }

    /**
     * One request to send.
     *
     * @param brokenIntegerField the integer field whose value the body replaced with
     * something that is not a JSON integer in range (null when none): such a body is
     * never accepted
     */
    record Probe(String method, String path, String body, String contentType, Map<String, String> headers,
            String brokenIntegerField) {

        Probe(String method, String path, String body, String contentType, Map<String, String> headers) {
            this(method, path, body, contentType, headers, null);
        }

        String describe() {
            String shownBody = body == null ? "(none)"
                    : body.length() > 200 ? body.substring(0, 200) + "... (" + body.length() + " chars)" : body;
            Map<String, String> shownHeaders = new LinkedHashMap<>();
            headers.forEach((name, value) -> shownHeaders.put(name,
                    value.length() > 80 ? value.substring(0, 80) + "..." : value));
            String shownPath = path.length() > 200 ? path.substring(0, 200) + "..." : path;
            return method + " " + shownPath + " " + shownHeaders + " content-type=" + contentType + " body="
                    + shownBody;
        }
    }

    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
            if (info.getProducesCondition().getProducibleMediaTypes().contains(MediaType.TEXT_EVENT_STREAM)) {
                // an event stream answers and then never ends: nothing here to fuzz
                continue;
            }
            Set<String> methods = new LinkedHashSet<>();
            for (RequestMethod method : info.getMethodsCondition().getMethods()) {
                methods.add(method.name());
            }
            if (methods.isEmpty()) {
                methods.addAll(METHODS);
            }
            Set<String> params = new LinkedHashSet<>();
            info.getParamsCondition().getExpressions().forEach(expression -> params.add(expression.getName()));
            for (String pattern : info.getPathPatternsCondition().getPatternValues()) {
                routes.add(new Route(pattern, methods, params));
            }
        }
        return routes;
    }

    private Probe probe(Random random, Route route) {
        String method = random.nextInt(10) == 0 ? HostileInputs.pick(random, METHODS)
                : HostileInputs.pick(random, List.copyOf(route.methods()));
        String path = fillPathVariables(random, route.pattern(), method);
        List<String> query = new ArrayList<>();
        for (String param : route.requiredParams()) {
            query.add(param + "=" + (random.nextBoolean() ? seeds.get("order")
                    : HostileInputs.pick(random, HostileInputs.PATH_VALUES)));
        }
        if (random.nextInt(3) == 0) {
            query.add(HostileInputs.pick(random, HostileInputs.QUERIES));
        }
        if (!query.isEmpty()) {
            path += "?" + String.join("&", query);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-API-Key", random.nextInt(7) == 0 ? HostileInputs.pick(random, HostileInputs.API_KEYS) : API_KEY);
        int idempotency = random.nextInt(10);
        if (idempotency < 5) {
            headers.put("Idempotency-Key", UUID.randomUUID().toString());
        }
        else if (idempotency < 8) {
            headers.put("Idempotency-Key", HostileInputs.pick(random, HostileInputs.IDEMPOTENCY_KEYS));
        }
        if (random.nextInt(3) == 0) {
            headers.put("X-Forwarded-For", HostileInputs.pick(random, HostileInputs.FORWARDED_FOR));
        }
        Body body = null;
        String contentType = null;
        if (!method.equals("GET") && !method.equals("DELETE") || random.nextInt(10) == 0) {
            body = body(random, method + " " + route.pattern());
            int type = random.nextInt(12);
            contentType = type < 9 ? "application/json"
                    : List.of("text/plain", "application/json;charset=bogus", "application/xml").get(type - 9);
        }
        return body == null ? new Probe(method, path, null, null, headers)
                : new Probe(method, path, body.text(), contentType, headers, body.brokenIntegerField());
    }

    /** A request body, and the integer field it broke, if any. */
    private record Body(String text, String brokenIntegerField) {
    }

    /**
     * The top-level integer fields of the templates below, with the largest value each
     * takes.
     */
    private static final Map<String, java.math.BigInteger> INTEGER_FIELDS = Map.of("amount",
            java.math.BigInteger.valueOf(Long.MAX_VALUE), "maxClicks", java.math.BigInteger.valueOf(Long.MAX_VALUE),
            "rateLimitPerSecond", java.math.BigInteger.valueOf(Integer.MAX_VALUE));

    /**
     * Whether a value put into an integer field is not an integer the field can hold (a
     * null counts only where the field is required).
     */
    private static boolean breaksInteger(String field, String value) {
        java.math.BigInteger maximum = INTEGER_FIELDS.get(field);
        if (maximum == null) {
            return false;
        }
        if (value.equals("null")) {
            return field.equals("amount");
        }
        if (!value.matches("-?[0-9]+")) {
            return true;
        }
        java.math.BigInteger number = new java.math.BigInteger(value);
        return number.compareTo(maximum) > 0
                || number.compareTo(maximum.negate().subtract(java.math.BigInteger.ONE)) < 0;
    }

    /** Replaces each {name} or {name:regex} with a seeded resource or a hostile value. */
    private String fillPathVariables(Random random, String pattern, String method) {
        StringBuilder path = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c != '{') {
                path.append(c);
                i++;
                continue;
            }
            int depth = 0;
            int end = i;
            do {
                depth += pattern.charAt(end) == '{' ? 1 : pattern.charAt(end) == '}' ? -1 : 0;
                end++;
            }
            while (depth > 0);
            String name = pattern.substring(i + 1, end - 1).split(":", 2)[0];
            path.append(random.nextInt(5) < 2 && !method.equals("DELETE") ? seedFor(pattern, name)
                    : HostileInputs.pick(random, HostileInputs.PATH_VALUES));
            i = end;
        }
        return path.toString();
    }

    private String seedFor(String pattern, String name) {
        if (name.equals("code")) {
            return seeds.get("code");
        }
        if (pattern.startsWith("/api/orders")) {
            return seeds.get("order");
        }
        if (pattern.startsWith("/api/webhooks/endpoints")) {
            return seeds.get("endpoint");
        }
        return seeds.get("payment");
    }

    private Body body(Random random, String route) {
        int kind = random.nextInt(10);
        if (kind < 3) {
            return new Body(HostileInputs.pick(random, MALFORMED), null);
        }
        String broken = null;
        ObjectNode template = (ObjectNode) json.readTree(template(route));
        if (kind < 9 && !template.isEmpty()) {
            List<String> fields = new ArrayList<>(template.propertyNames());
            String field = HostileInputs.pick(random, fields);
            int mutation = random.nextInt(6);
            if (mutation == 0) {
                template.remove(field);
            }
            else if ((field.equals("url") || field.equals("targetUrl")) && mutation < 4) {
                template.put(field, HostileInputs.pick(random,
                        random.nextBoolean() ? HostileInputs.SSRF_URLS : HostileInputs.BROKEN_URLS));
            }
            else {
                String value = HostileInputs.pick(random, HostileInputs.WRONG_VALUES);
                template.set(field, json.readTree(value));
                broken = breaksInteger(field, value) ? field : null;
            }
        }
        else if (kind == 9) {
            template.put("unexpected", "field");
        }
        // The tree keeps a big integer's digits and a float's form (1.2e1 stays a float),
        // as the wire would.
        return new Body(json.writeValueAsString(template), broken);
    }

    private String template(String route) {
        return switch (route) {
            case "POST /api/orders" -> validOrder();
            case "POST /api/payments" -> "{\"orderId\":\"" + seeds.get("order")
                    + "\",\"amount\":250,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}";
            case "POST /api/payments/{id}/refunds" -> "{\"amount\":1,\"currency\":\"EUR\",\"reason\":\"fuzz\"}";
            case "POST /api/webhooks/endpoints" ->
                "{\"url\":\"http://127.0.0.1:9/fuzz\",\"description\":\"fuzz\",\"eventTypes\":[\"fuzz.never.sent\"],\"enabled\":true,\"rateLimitPerSecond\":10}";
            case "PATCH /api/webhooks/endpoints/{id}" -> "{\"enabled\":true,\"rateLimitPerSecond\":10}";
            case "POST /api/webhooks/messages" ->
                "{\"eventType\":\"fuzz.unsubscribed\",\"payload\":{\"n\":1},\"idempotencyKey\":\"" + UUID.randomUUID()
                        + "\"}";
            case "POST /api/links" ->
                "{\"targetUrl\":\"https://example.org/x\",\"alias\":null,\"ttl\":\"PT1H\",\"maxClicks\":5,\"permanentRedirect\":false}";
            default -> route.startsWith("PATCH /api/links/")
                    ? "{\"ttl\":\"PT1H\",\"maxClicks\":3,\"disabled\":false,\"neverExpires\":false,\"unlimitedClicks\":false}"
                    : "{\"anything\":1}";
        };
    }

    private static String validOrder() {
        return "{\"customerReference\":\"fuzz\",\"currency\":\"EUR\",\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":250}]}";
    }

    private Optional<String> check(Probe probe, HttpResponse<String> response, Map<String, Long> before,
            Map<String, Long> after) {
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("(none)");
        if (status >= 500) {
            return Optional.of(status + " for " + probe.describe() + " -> " + response.body());
        }
        if (status < 300 && probe.brokenIntegerField() != null) {
            return Optional.of(status + " accepted a non-integer " + probe.brokenIntegerField() + " for "
                    + probe.describe() + " -> " + abbreviate(response.body()));
        }
        if (status >= 400 && !contentType.startsWith("application/problem+json")) {
            return Optional.of(status + " with " + contentType + " for " + probe.describe() + " -> "
                    + abbreviate(response.body()));
        }
        if (status >= 400) {
            Map<String, String> changed = RowCounts.differences(before, after);
            // only delivery workers write it, never a request (other tests' retries run
            // on)
            changed.remove("webhooks.attempts");
            if (storesItsAnswerForReplay(probe, status)) {
                changed.remove("payments.idempotency_keys");
            }
            if (!changed.isEmpty()) {
                return Optional.of(status + " but rows changed " + changed + " for " + probe.describe());
            }
        }
        return Optional.empty();
    }

    /**
     * Business errors on the idempotent payment routes are stored with their key, on
     * purpose: a retry replays them. That includes a 400 the domain raised once the
     * request had begun (a currency such as XXX that passes the format check but is no
     * currency payments take).
     */
    private static boolean storesItsAnswerForReplay(Probe probe, int status) {
        return probe.method().equals("POST") && probe.path().startsWith("/api/payments")
                && (status == 400 || status == 404 || status == 409 || status == 422);
    }

    private Optional<HttpResponse<String>> sendProbe(Probe probe, List<String> failures) throws InterruptedException {
        try {
            return Optional.of(send(probe.method(), probe.path(), probe.body(), probe.contentType(), probe.headers()));
        }
        catch (IllegalArgumentException e) {
            // the client itself refuses to send this (e.g. an unencoded path)
            return Optional.empty();
        }
        catch (IOException e) {
            if (probe.body() != null && probe.body().length() > 1_000_000) {
                // the server may refuse an oversized body before reading it and close the
                // connection
                return Optional.empty();
            }
            failures.add("no answer (" + e + ") for " + probe.describe());
            return Optional.empty();
        }
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        return send(method, path, body, "application/json", headers);
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType,
            Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach((name, value) -> {
            try {
                request.header(name, value);
            }
            catch (IllegalArgumentException e) {
                // a value the client will not put on the wire (control characters): leave
                // the header out
            }
        });
        // A deadline on the whole exchange, body included: a route that never finishes
        // fails the test, not the build.
        try {
            return http.sendAsync(request.build(), BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);
        }
        catch (TimeoutException e) {
            throw new AssertionError(method + " " + path + " did not finish within 30 s", e);
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /**
     * Waits until background work (listeners, workers, re-publisher) stops changing row
     * counts.
     */
    /**
     * The row counts once this test's accepted work has finished: its payments and
     * refunds are settled (the provider answered), and the counts held still for a while
     * (listeners such as notifications and the webhooks fan-out run after the settling
     * commit).
     */
    private Map<String, Long> quietCounts() {
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(rows.snapshot());
        await().atMost(Duration.ofSeconds(60)).pollDelay(QUIET).pollInterval(QUIET).until(() -> {
            Map<String, Long> now = rows.snapshot();
            return now.equals(last.getAndSet(now)) && openWorkSince(started) == 0;
        });
        return last.get();
    }

    private long openWorkSince(java.time.Instant since) {
        return jdbc
            .sql("""
                    SELECT (SELECT count(*) FROM payments.payments WHERE status IN ('CREATED', 'PROCESSING') AND created_at >= :since)
                         + (SELECT count(*) FROM payments.refunds WHERE status = 'PENDING' AND at >= :since)
                    """)
            .param("since", java.sql.Timestamp.from(since))
            .query(Long.class)
            .single();
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

}
