package quartet.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmarks that need the whole application, each beside its baseline in the same run, and the report:
 * reads the JMH results bench/run-all.sh produced, runs the Redis, HTTP and startup benchmarks, and fills
 * bench/benchmarks-template.md into docs/benchmarks.md.
 *
 * <p>Run by bench/run-all.sh through the Spring Boot loader of quartet.jar, so it has the application's
 * libraries (Lettuce, Jackson) on its class path. System properties: {@code bench.quick} (short smoke
 * durations), {@code bench.work} (output directory), {@code bench.loadAtStart}, {@code bench.only} (a comma
 * separated list of sections to run: limiter, redis, demo, redirect, filter, payments, webhooks, grpc; the report of
 * such a partial run goes to the output directory, not to docs/benchmarks.md).
 */
public final class Benchmarks {

    private static final Locale NUMBERS = Locale.ROOT;

    private final boolean quick = Boolean.getBoolean("bench.quick");
    private final Path work = Path.of(System.getProperty("bench.work", "target/benchmarks"));
    private final Path jar = Path.of("target/quartet.jar");
    private final Path appClasses = Path.of("target/bench/app-classes");
    private final Path dataDirectory = work.resolve("data");
    private final Map<String, String> report = new LinkedHashMap<>();
    private final List<String> verdicts = new ArrayList<>();
    private final List<String> only = Arrays.stream(System.getProperty("bench.only", "").split(","))
        .map(String::strip).filter(section -> !section.isEmpty()).toList();

    public static void main(String[] args) throws Exception {
        new Benchmarks().run();
    }

    private Duration seconds(int full, int smoke) {
        return Duration.ofSeconds(quick ? smoke : full);
    }

    private int count(int full, int smoke) {
        return quick ? smoke : full;
    }

    /** Whether to run a section: every one, unless bench.only names some. */
    private boolean selected(String section) {
        return only.isEmpty() || only.contains(section);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        deleteRecursively(dataDirectory);
        if (selected("limiter")) {
            limiterCore();
        }

        if (selected("redis")) {
            System.out.println("== Redis bucket");
            StringBuilder where = new StringBuilder();
            List<RedisBucketBenchmark.Result> redis = RedisBucketBenchmark.run(seconds(8, 2), 4, work.resolve("redis-server.log"), where);
            redisTable(redis, where.toString());
        }

        double coldSeconds = Double.NaN;
        double coldRss = Double.NaN;
        double warmSeconds = Double.NaN;
        double warmJvmRss = Double.NaN;
        double warmLauncherRss = Double.NaN;
        double warmTotalRss = Double.NaN;
        double nestedSeconds = Double.NaN;
        if (selected("demo")) {
            System.out.println("== Demo: first and warm start of the plain jar with all engines embedded");
            try (App cold = App.start(jar, null, dataDirectory, work.resolve("app-cold.log"), List.of())) {
                coldSeconds = cold.secondsToHealthy;
                coldRss = cold.totalRssMiB();
            }
            try (App warm = App.start(jar, null, dataDirectory, work.resolve("app-warm.log"), List.of())) {
                warmSeconds = warm.secondsToHealthy;
                warmJvmRss = warm.jvmRssMiB();
                warmLauncherRss = warm.launcherRssMiB();
                warmTotalRss = warm.totalRssMiB();
            }
            // The baseline: the same warm start in the one JVM, classes read from the nested jar.
            try (App nested = App.start(jar, null, dataDirectory, work.resolve("app-nested.log"), List.of("--quartet.launcher.enabled=false"))) {
                nestedSeconds = nested.secondsToHealthy;
            }
            System.out.printf(NUMBERS, "  cold %.1f s, warm %.1f s to healthy; RSS at healthy: JVM %.0f MiB, with engines %.0f MiB%n",
                    coldSeconds, warmSeconds, warmJvmRss, warmTotalRss);
        }

        double loadedJvmRss = Double.NaN;
        double loadedTotalRss = Double.NaN;
        if (selected("redirect") || selected("filter") || selected("payments") || selected("webhooks")) {
            System.out.println("== HTTP benchmarks (the rate limit filter switched off and on at runtime where compared)");
            try (App app = App.start(jar, appClasses, dataDirectory, work.resolve("app-http.log"), benchmarkProperties())) {
                if (selected("redirect") || selected("filter")) {
                    httpTables(shortenerAndFilter(app));
                }
                if (selected("payments")) {
                    report.put("PAYMENTS_TABLE", payments(app));
                }
                if (selected("webhooks")) {
                    report.put("WEBHOOKS_TABLE", webhooks(app));
                }
                loadedJvmRss = app.jvmRssMiB();
                loadedTotalRss = app.totalRssMiB();
            }
        }

        // bench/run-all.sh ran bench/grpc.sh before this driver; its table is the section's whole result.
        Path grpc = work.resolve("grpc.md");
        report.put("GRPC_TABLE", Files.exists(grpc) ? Files.readString(grpc).strip() : "Not run in this run (section `grpc`).");

        if (selected("demo")) {
            report.put("DEMO_TABLE", String.join("\n",
                    "| measure | value |",
                    "|---|---|",
                    String.format(NUMBERS, "| first start to healthy (fresh data directory) | %.1f s |", coldSeconds),
                    String.format(NUMBERS, "| warm start to healthy (same data directory) | %.1f s |", warmSeconds),
                    String.format(NUMBERS, "| baseline: warm start without the launcher (`--quartet.launcher.enabled=false`) | %.1f s |", nestedSeconds),
                    String.format(NUMBERS, "| RSS at healthy, JVMs (of which the launcher JVM) | %.0f MiB (%.0f MiB) |", warmJvmRss, warmLauncherRss),
                    String.format(NUMBERS, "| RSS at healthy, JVM + embedded PostgreSQL and Redis processes | %.0f MiB (first start: %.0f MiB) |", warmTotalRss, coldRss),
                    String.format(NUMBERS, "| RSS after the HTTP benchmarks, JVM / with engines | %.0f / %.0f MiB |", loadedJvmRss, loadedTotalRss)));
            verdict(warmSeconds <= 10, String.format(NUMBERS, "warm start ≤ 10 s: %.1f s", warmSeconds));
        }
        writeReport();
    }

    // ---------------------------------------------------------------- limiter core (JMH, run by the script)

    private void limiterCore() throws Exception {
        Path json = work.resolve("limiter.json");
        if (!Files.exists(json)) {
            report.put("LIMITER_TABLE", "_JMH results missing: run bench/run-all.sh, which runs JMH first._");
            return;
        }
        Map<String, double[]> scores = new LinkedHashMap<>(); // name -> score, error, bytes per op
        for (JsonNode result : JsonMapper.builder().build().readTree(Files.readString(json))) {
            String name = result.get("benchmark").asString();
            name = name.substring(name.lastIndexOf('.') + 1);
            JsonNode primary = result.get("primaryMetric");
            JsonNode alloc = result.path("secondaryMetrics").path("gc.alloc.rate.norm").path("score");
            scores.put(name, new double[] { number(primary.get("score")) / 1e6, number(primary.get("scoreError")) / 1e6,
                    alloc.isMissingNode() ? Double.NaN : number(alloc) });
        }
        StringBuilder table = new StringBuilder(
                "| case | threads | ours (M ops/s) | ours B/op | ours with probe (M ops/s) | with probe B/op | synchronized (M ops/s) | synchronized B/op | Bucket4j (M ops/s) | Bucket4j B/op | ours ÷ synchronized | ours ÷ Bucket4j |\n"
                        + "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        double worstOursBytes = 0;
        for (String scenario : List.of("alwaysTokens", "mostlyEmpty", "keyed10k")) {
            for (String threads : List.of("1thread", "2threads")) {
                double[] ours = scores.get(scenario + "_ours_" + threads);
                double[] probe = scores.get(scenario + "_oursProbe_" + threads);
                double[] base = scores.get(scenario + "_synchronized_" + threads);
                double[] bucket4j = scores.get(scenario + "_bucket4j_" + threads);
                if (ours == null || base == null) {
                    continue;
                }
                worstOursBytes = Math.max(worstOursBytes, ours[2]);
                table.append(String.format(NUMBERS, "| %s | %s | %.2f ± %.2f | %s | %s | %s | %.2f ± %.2f | %s | %s | %s | %.2f | %s |%n", scenario,
                        threads.startsWith("1") ? "1" : "2", ours[0], ours[1], bytes(ours[2]),
                        probe == null ? "–" : String.format(NUMBERS, "%.2f ± %.2f", probe[0], probe[1]), probe == null ? "–" : bytes(probe[2]),
                        base[0], base[1], bytes(base[2]),
                        bucket4j == null ? "–" : String.format(NUMBERS, "%.2f ± %.2f", bucket4j[0], bucket4j[1]), bucket4j == null ? "–" : bytes(bucket4j[2]),
                        ours[0] / base[0], bucket4j == null ? "–" : String.format(NUMBERS, "%.2f", ours[0] / bucket4j[0])));
            }
        }
        report.put("LIMITER_TABLE", table.toString().strip());
        verdict(worstOursBytes < 1, String.format(NUMBERS, "limiter 0 bytes/op on the hot path (the handler path the filter uses): worst case %s B/op",
                bytes(worstOursBytes)));
    }

    /** JMH writes NaN (an error over a single iteration) as a string. */
    private static double number(JsonNode value) {
        return value.isNumber() ? value.asDouble() : Double.parseDouble(value.asString());
    }

    private static String bytes(double perOp) {
        return Double.isNaN(perOp) ? "?" : perOp < 0.05 ? "0" : String.format(NUMBERS, "%.1f", perOp);
    }

    private void redisTable(List<RedisBucketBenchmark.Result> results, String where) {
        StringBuilder table = new StringBuilder(
                "| case | decisions/s (4 threads) | round trips per decision | commands Redis executed per decision |\n|---|---|---|---|\n");
        for (RedisBucketBenchmark.Result result : results) {
            table.append(String.format(NUMBERS, "| %s | %,.0f | %.2f | %.2f |%n", result.name(), result.perSecond(), result.roundTripsPerDecision(),
                    result.commandsPerDecision()));
        }
        report.put("REDIS_TABLE", table.toString().strip());
        report.put("REDIS_WHERE", where);
    }

    // ---------------------------------------------------------------- application under load

    /**
     * The limiter must evaluate every request but never refuse one; the bare route sits under the same policy.
     * The filter is on; the benchmark switches it off at runtime where it compares (RateLimitFilterSwitch).
     */
    private static List<String> benchmarkProperties() {
        List<String> properties = new ArrayList<>(List.of(
                "--quartet.ratelimit.enabled=true",
                "--quartet.ratelimit.policies[0].name=api",
                "--quartet.ratelimit.policies[0].patterns[0]=/api/**",
                "--quartet.ratelimit.policies[0].capacity=100000000",
                "--quartet.ratelimit.policies[0].refill-tokens=100000000",
                "--quartet.ratelimit.policies[0].refill-period=1m",
                "--quartet.ratelimit.policies[0].key=client",
                "--quartet.ratelimit.policies[0].store=redis",
                "--quartet.ratelimit.policies[1].name=redirects",
                "--quartet.ratelimit.policies[1].patterns[0]=/{code}",
                "--quartet.ratelimit.policies[1].patterns[1]=/{code}+",
                "--quartet.ratelimit.policies[1].patterns[2]=/bench/bare/*",
                "--quartet.ratelimit.policies[1].capacity=100000000",
                "--quartet.ratelimit.policies[1].refill-tokens=100000000",
                "--quartet.ratelimit.policies[1].refill-period=1m",
                "--quartet.ratelimit.policies[1].key=ip",
                "--quartet.ratelimit.policies[1].store=local",
                "--quartet.webhooks.allowed-private-hosts=127.0.0.1",
                // Outbound per-endpoint limits would measure the limit, not the dispatcher.
                "--quartet.webhooks.rate-limit-per-second=0",
                "--logging.level.root=warn"));
        return properties;
    }

    private static final int WORKERS = 8;
    /** The application's delivery workers ({@code quartet.webhooks.workers}, its default). */
    private static final int DELIVERY_WORKERS = 16;

    /** The routes measured with the filter on and off, in the filter table's order. */
    private static final List<String> HOT_ROUTES = List.of("redirect", "api", "bare");

    /** Their rows in the filter table; the bare 302 is no route of ours, so it does not count for the verdict. */
    private static final Map<String, String> HOT_ROUTE_LABELS = Map.of(
            "redirect", "redirect `/{code}` (local policy)",
            "api", "`GET /api/links/{code}` (Redis policy)",
            "bare", "bare 302 (local policy)");

    /** Each hot route, every round with the filter on and every round with it off; the first visits (filter on), if run. */
    private record HotRoutes(Map<String, List<Load.Result>> on, Map<String, List<Load.Result>> off, Load.Result uncached) {

        /** The round with the median throughput; the lower middle one for an even number of rounds. */
        static Load.Result median(List<Load.Result> rounds) {
            List<Load.Result> sorted = rounds.stream().sorted(Comparator.comparingDouble(Load.Result::perSecond)).toList();
            return sorted.get((sorted.size() - 1) / 2);
        }

        Load.Result medianOn(String route) {
            return median(on.get(route));
        }

        Load.Result medianOff(String route) {
            return median(off.get(route));
        }

        /** The overhead of each round, its filter-on run against the filter-off run of the same round. */
        double[] overheadByRound(String route) {
            double[] overheads = new double[on.get(route).size()];
            for (int round = 0; round < overheads.length; round++) {
                overheads[round] = 1 - on.get(route).get(round).perSecond() / off.get(route).get(round).perSecond();
            }
            return overheads;
        }
    }

    private HotRoutes shortenerAndFilter(App app) throws Exception {
        List<String> uncached = List.of();
        if (selected("redirect")) {
            int fresh = count(1_500, 200);
            uncached = Load.bodies(WORKERS, fresh, 201,
                    n -> app.post("/api/links", "{\"targetUrl\":\"https://example.com/fresh/" + n + "\"}").build())
                .stream().map(body -> App.field(body, "code")).toList();
        }
        HotRoutes results = hotRoutes(app);
        if (uncached.isEmpty()) {
            return results;
        }
        List<String> codes = uncached;
        // Never visited yet: each is a cache miss that reads PostgreSQL and fills the cache.
        return new HotRoutes(results.on(), results.off(), Load.forCount("redirect, first visit (cache miss)", WORKERS, codes.size(), 302,
                n -> app.get("/" + codes.get(n)).build()));
    }

    /**
     * The hot routes (a cached redirect, the bare 302, an API read), warmed up with the filter on and off, then
     * measured in alternating rounds in this one JVM: on-off, off-on, on-off and so on, so a drift of the machine
     * or the JIT over the run falls on both sides alike.
     */
    private HotRoutes hotRoutes(App app) throws Exception {
        String hot = App.field(app.call(app.post("/api/links", "{\"targetUrl\":\"https://example.com/hot\"}").build(), 201), "code");
        Map<String, URI> uris = Map.of(
                "bare", app.uri("/bench/bare/" + hot),
                "redirect", app.uri("/" + hot),
                "api", app.uri("/api/links/" + hot));
        Map<String, Map<String, String>> headers = Map.of("bare", Map.of(), "redirect", Map.of(), "api", Map.of("X-API-Key", App.API_KEY));
        System.out.println(" warm-up, filter on, then off");
        for (boolean on : new boolean[] { true, false }) {
            switchFilter(app, on);
            for (String route : HOT_ROUTES) {
                Wrk.get("warm " + route + (on ? " (filter on)" : " (filter off)"), uris.get(route), headers.get(route), WORKERS,
                        on ? seconds(10, 2) : seconds(5, 1));
            }
        }
        Map<String, List<Load.Result>> withFilter = new LinkedHashMap<>();
        Map<String, List<Load.Result>> withoutFilter = new LinkedHashMap<>();
        HOT_ROUTES.forEach(route -> {
            withFilter.put(route, new ArrayList<>());
            withoutFilter.put(route, new ArrayList<>());
        });
        int rounds = count(7, 2);
        Duration measure = seconds(5, 1);
        System.out.println(" measured: " + rounds + " rounds, each route " + measure.toSeconds() + " s with the filter on and " + measure.toSeconds()
                + " s with it off");
        for (int round = 1; round <= rounds; round++) {
            boolean onFirst = round % 2 == 1;
            for (boolean on : new boolean[] { onFirst, !onFirst }) {
                switchFilter(app, on);
                for (String route : HOT_ROUTES) {
                    (on ? withFilter : withoutFilter).get(route).add(Wrk.get(
                            route + ", filter " + (on ? "on" : "off") + ", round " + round, uris.get(route), headers.get(route), WORKERS, measure));
                }
            }
        }
        switchFilter(app, true);
        return new HotRoutes(withFilter, withoutFilter, null);
    }

    /** Through the benchmark-only route of RateLimitFilterSwitch; fails unless the RateLimit header then comes and goes with it. */
    private static void switchFilter(App app, boolean on) throws Exception {
        app.call(HttpRequest.newBuilder(app.uri("/bench/rate-limit-filter?on=" + on)).POST(HttpRequest.BodyPublishers.noBody()).build(), 204);
        HttpResponse<Void> probe = Load.CLIENT.send(app.get("/bench/bare/switch").build(), HttpResponse.BodyHandlers.discarding());
        if (probe.headers().firstValue("RateLimit").isPresent() != on) {
            throw new IllegalStateException("The rate limit filter did not switch " + (on ? "on" : "off"));
        }
    }

    private void httpTables(HotRoutes routes) {
        Load.Result bare = routes.medianOn("bare");
        Load.Result hit = routes.medianOn("redirect");
        Load.Result miss = routes.uncached();
        List<String> shortener = new ArrayList<>(List.of(
                "| route (filter on, same JVM; the median of " + routes.on().get("bare").size() + " rounds) | throughput | p50 | p99 | ÷ bare 302 |",
                "|---|---|---|---|---|",
                "| baseline: bare 302 (`/bench/bare/{code}`) | " + bare.row() + " | 1.00 |",
                "| redirect, cache hit (`/{code}`) | " + hit.row() + String.format(NUMBERS, " | %.2f |", hit.perSecond() / bare.perSecond())));
        if (miss != null) {
            shortener.add("| redirect, first visit: cache miss (" + miss.requests() + " fresh codes, one run) | " + miss.row()
                    + String.format(NUMBERS, " | %.2f |", miss.perSecond() / bare.perSecond()));
        }
        report.put("SHORTENER_TABLE", String.join("\n", shortener));
        System.out.printf(NUMBERS, "  redirect, cache hit ÷ bare 302 (medians, filter on): %.2f; filter off: %.2f%n",
                hit.perSecond() / bare.perSecond(), routes.medianOff("redirect").perSecond() / routes.medianOff("bare").perSecond());
        if (selected("redirect")) {
            verdict(hit.perSecond() >= 0.9 * bare.perSecond(),
                    String.format(NUMBERS, "redirect ≥ 0.9× the bare endpoint: %.2f×", hit.perSecond() / bare.perSecond()));
        }

        StringBuilder filter = new StringBuilder(
                "| route | filter on: throughput | p50 | p99 | filter off: throughput | p50 | p99 | overhead (medians) | overhead by round |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        double redisPolicy = 0;
        double localPolicy = 0;
        for (String route : HOT_ROUTES) {
            Load.Result withFilter = routes.medianOn(route);
            Load.Result without = routes.medianOff(route);
            double overhead = 1 - withFilter.perSecond() / without.perSecond();
            if (route.equals("api")) {
                redisPolicy = overhead;
            }
            else if (route.equals("redirect")) {
                localPolicy = overhead;
            }
            String byRound = String.join(", ", Arrays.stream(routes.overheadByRound(route))
                .mapToObj(each -> String.format(NUMBERS, "%+.0f", 100 * each)).toList()) + " %";
            filter.append(String.format(NUMBERS, "| %s | %s | %s | %+.1f %% | %s |%n", HOT_ROUTE_LABELS.get(route), withFilter.row(), without.row(),
                    100 * overhead, byRound));
            System.out.printf(NUMBERS, "  %s: filter on %,.0f/s, off %,.0f/s (medians), overhead %+.1f %%; by round %s%n", route,
                    withFilter.perSecond(), without.perSecond(), 100 * overhead, byRound);
        }
        report.put("FILTER_TABLE", filter.toString().strip());
        if (selected("filter")) {
            verdict(redisPolicy <= 0.10, String.format(NUMBERS, "rate limit filter overhead ≤ 10 %% with a Redis policy (API read): %.1f %%", 100 * redisPolicy));
            verdict(localPolicy < 0.05, String.format(NUMBERS, "rate limit filter overhead < 5 %% with a local policy (redirect): %.1f %%", 100 * localPolicy));
        }
    }

    private String payments(App app) throws Exception {
        int creations = count(800, 100);
        int warm = count(200, 30);
        System.out.println(" payments: placing " + (creations + warm) + " orders");
        List<String> ids = Load.bodies(WORKERS, creations + warm, 201, n -> app.post("/api/orders",
                "{\"customerReference\":\"bench-" + n + "\",\"currency\":\"EUR\",\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":1250}]}")
            .build()).stream().map(body -> App.field(body, "id")).toList();
        String run = UUID.randomUUID().toString().substring(0, 8);
        java.util.function.BiFunction<String, Integer, HttpRequest> create = (path, n) -> app.post(path,
                "{\"orderId\":\"" + ids.get(n) + "\",\"amount\":1250,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}")
            .header("Idempotency-Key", "bench-" + run + "-" + path.length() + "-" + n).build();
        Load.forCount("warm payments", WORKERS, warm, 201, n -> create.apply("/api/payments", creations + n));
        Load.forCount("warm jdbc", WORKERS, warm, 201, n -> create.apply("/api/bench/jdbc-payments", creations + n));
        Load.Result real = Load.forCount("POST /api/payments", WORKERS, creations, 201, n -> create.apply("/api/payments", n));
        Load.Result jdbc = Load.forCount("baseline: plain JDBC inserts", WORKERS, creations, 201, n -> create.apply("/api/bench/jdbc-payments", n));
        return String.join("\n",
                "| route (" + creations + " creations, " + WORKERS + " clients, unique Idempotency-Keys) | creations/s | p50 | p99 | ÷ plain JDBC |",
                "|---|---|---|---|---|",
                "| `POST /api/payments` | " + real.row() + String.format(NUMBERS, " | %.2f |", real.perSecond() / jdbc.perSecond()),
                "| baseline: the same rows with plain JDBC (`POST /api/bench/jdbc-payments`) | " + jdbc.row() + " | 1.00 |");
    }

    /**
     * Ingestion and delivery, each against its own yardstick in the same run: messages accepted per second
     * (wrk POSTs) against the API read through the same filters (wrk GETs), in alternating rounds; a queued
     * backlog's delivery rate against that ingestion rate; accept-to-first-attempt with messages paced at half
     * the ingestion rate; and one message fanned out to 100 endpoints.
     */
    private String webhooks(App app) throws Exception {
        // The demo receiver subscribes to every event: left on, each message would be two deliveries.
        List<String> demoEndpoints = demoEndpoints(app);
        setEnabled(app, demoEndpoints, false);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            // As many slots as workers: the default bound of 4 in flight per endpoint would measure the bound, not the dispatcher.
            app.call(app.post("/api/webhooks/endpoints", "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"bench.ping\"],\"maxConcurrentAttempts\":"
                    + DELIVERY_WORKERS + "}").build(), 201);
            String code = App.field(app.call(app.post("/api/links", "{\"targetUrl\":\"https://example.com/read\"}").build(), 201), "code");
            URI messages = app.uri("/api/webhooks/messages");
            URI read = app.uri("/api/links/" + code);
            Map<String, String> key = Map.of("X-API-Key", App.API_KEY);
            String body = "{\"eventType\":\"bench.ping\",\"payload\":{\"n\":1}}";

            long delivered = receiver.requests.get();
            // Long enough for the JIT, and as measured: ingestion with the workers held, then its backlog delivered
            // (with deliveries beside it, ingestion warmed at a fraction of its rate and still rose round by round).
            for (int warm = 1; warm <= count(3, 1); warm++) {
                String label = "warm ingestion " + warm;
                delivered += accepted(withWorkersHeld(app, () -> Wrk.post(label, messages, key, body, WORKERS, seconds(10, 2))));
                awaitRequests(receiver, delivered, "the warm-up's deliveries");
                Wrk.get("warm API read " + warm, read, key, WORKERS, seconds(10, 1));
            }

            List<Load.Result> ingestion = new ArrayList<>();
            List<Load.Result> reads = new ArrayList<>();
            int rounds = count(5, 1);
            for (int round = 1; round <= rounds; round++) {
                // Each side has the machine to itself: no delivery runs while messages or reads are measured.
                String label = "ingestion, round " + round;
                Load.Result ingested = withWorkersHeld(app, () -> Wrk.post(label, messages, key, body, WORKERS, seconds(5, 1)));
                delivered += accepted(ingested);
                ingestion.add(ingested);
                awaitRequests(receiver, delivered, "round " + round + "'s deliveries");
                reads.add(Wrk.get("API read, round " + round, read, key, WORKERS, seconds(5, 1)));
            }
            Load.Result ingest = median(ingestion);
            Load.Result api = median(reads);

            // The backlog: accepted with the workers held, then delivered with nothing else running.
            Load.Result queued = withWorkersHeld(app, () -> Wrk.post("backlog ingestion (workers held)", messages, key, body, WORKERS, seconds(10, 2)));
            delivered += accepted(queued);
            long released = System.nanoTime();
            awaitRequests(receiver, delivered, "the backlog");
            double drain = accepted(queued) / ((System.nanoTime() - released) / 1e9);
            System.out.printf(NUMBERS, "  webhooks backlog: %d delivered, %,.0f/s%n", accepted(queued), drain);

            Delivered paced = paced(app, receiver, ingest.perSecond() / 2, seconds(10, 2));
            double fanOut = fanOut(app, receiver, 100, count(5, 2));

            double ingestRatio = ingest.perSecond() / api.perSecond();
            verdict(ingestRatio >= 0.4, String.format(NUMBERS, "webhook ingestion ≥ 0.4× the API read: %.2f×", ingestRatio));
            verdict(drain >= ingest.perSecond(), String.format(NUMBERS, "backlog delivery ≥ 1.0× ingestion: %.2f×", drain / ingest.perSecond()));
            verdict(paced.p99Millis() <= 100, String.format(NUMBERS, "accept-to-first-attempt p99 ≤ 100 ms at half the ingestion rate: %.0f ms",
                    paced.p99Millis()));
            return String.join("\n",
                    "| case | rate | p50 | p99 | ratio |",
                    "|---|---|---|---|---|",
                    "| baseline: `GET /api/links/{code}` (wrk, median of " + rounds + " rounds) | " + api.row() + " | 1.00 |",
                    "| ingestion: `POST /api/webhooks/messages`, one subscribed endpoint (wrk, median of " + rounds + " rounds) | " + ingest.row()
                            + String.format(NUMBERS, " | %.2f × the API read |", ingestRatio),
                    String.format(NUMBERS, "| delivery of a queued backlog of %,d messages (the endpoint allows %d attempts in flight) | %,.0f/s | – | – | %.2f × ingestion |",
                            accepted(queued), DELIVERY_WORKERS, drain,
                            drain / ingest.perSecond()),
                    String.format(NUMBERS, "| accept-to-first-attempt, %,d messages paced at %,.0f/s (half the ingestion rate) | – | %.1f ms | %.1f ms | – |",
                            paced.messages(), paced.perSecond(), paced.p50Millis(), paced.p99Millis()),
                    String.format(NUMBERS, "| one message fanned out to 100 endpoints: POST to the 100th first attempt (median of %d) | – | %.0f ms | – | – |",
                            count(5, 2), fanOut));
        }
        finally {
            setEnabled(app, demoEndpoints, true);
        }
    }

    private static long accepted(Load.Result result) {
        return result.requests() - result.unexpected();
    }

    private static Load.Result median(List<Load.Result> rounds) {
        List<Load.Result> sorted = rounds.stream().sorted(Comparator.comparingDouble(Load.Result::perSecond)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void awaitRequests(WebhookReceiver receiver, long total, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (receiver.requests.get() < total) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": " + receiver.requests.get() + " of " + total + " deliveries arrived within 3 minutes");
            }
            Thread.sleep(20); // polling the receiver, not waiting for a result
        }
    }

    private record Delivered(int messages, double perSecond, double p50Millis, double p99Millis) {
    }

    /**
     * Open loop at {@code perSecond}: each message is sent at its scheduled instant whether or not earlier ones
     * were answered, and its latency runs from that send to the first arrival of its {@code webhook-id}.
     */
    private static Delivered paced(App app, WebhookReceiver receiver, double perSecond, Duration duration) throws Exception {
        int count = (int) Math.max(10, perSecond * duration.toSeconds());
        long interval = (long) (1e9 / perSecond);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        List<java.util.concurrent.CompletableFuture<Void>> answers = new ArrayList<>();
        long start = System.nanoTime();
        for (int n = 0; n < count; n++) {
            long due = start + n * interval;
            while (System.nanoTime() < due) {
                java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime()); // pacing the load
            }
            long sent = System.nanoTime();
            answers.add(Load.CLIENT.sendAsync(app.post("/api/webhooks/messages", "{\"eventType\":\"bench.ping\",\"payload\":{\"paced\":" + n + "}}")
                .build(), HttpResponse.BodyHandlers.ofString()).thenAccept(response -> {
                    if (response.statusCode() != 202) {
                        throw new IllegalStateException("ingestion answered " + response.statusCode() + ": " + response.body());
                    }
                    sentAt.put("msg_" + App.field(response.body(), "messageId"), sent);
                }));
        }
        java.util.concurrent.CompletableFuture.allOf(answers.toArray(java.util.concurrent.CompletableFuture[]::new)).get();
        awaitArrivals(receiver, "paced", sentAt.keySet());
        long[] latencies = sentAt.entrySet().stream().mapToLong(sent -> receiver.firstArrivalNanos.get(sent.getKey()) - sent.getValue()).sorted().toArray();
        Delivered delivered = new Delivered(count, perSecond, Load.percentile(latencies, 0.5), Load.percentile(latencies, 0.99));
        System.out.printf(NUMBERS, "  webhooks paced at %,.0f/s: %d messages, accept-to-first-attempt p50 %.1f ms, p99 %.1f ms%n", perSecond, count,
                delivered.p50Millis(), delivered.p99Millis());
        return delivered;
    }

    /** Milliseconds from posting one message to the first attempt at the last of {@code endpoints} subscribers; the median of the runs. */
    private static double fanOut(App app, WebhookReceiver receiver, int endpoints, int runs) throws Exception {
        for (int i = 0; i < endpoints; i++) {
            app.call(app.post("/api/webhooks/endpoints", "{\"url\":\"" + receiver.url() + "?endpoint=" + i + "\",\"eventTypes\":[\"bench.fanout\"]}")
                .build(), 201);
        }
        long[] millis = new long[runs];
        for (int run = 0; run < runs; run++) {
            long before = receiver.requests.get();
            long sent = System.nanoTime();
            app.call(app.post("/api/webhooks/messages", "{\"eventType\":\"bench.fanout\",\"payload\":{\"run\":" + run + "}}").build(), 202);
            awaitRequests(receiver, before + endpoints, "fan-out");
            millis[run] = (System.nanoTime() - sent) / 1_000_000;
            System.out.println("  webhooks fan-out to " + endpoints + " endpoints, run " + (run + 1) + ": " + millis[run] + " ms");
        }
        Arrays.sort(millis);
        return millis[runs / 2];
    }

    /** Ids of the endpoints the demo mode subscribed to every event (none with the demo off). */
    private static List<String> demoEndpoints(App app) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode endpoint : JsonMapper.builder().build().readTree(app.call(app.get("/api/webhooks/endpoints").header("X-API-Key", App.API_KEY).build(), 200))) {
            if ("Demo receiver".equals(endpoint.path("description").asString(null))) {
                ids.add(endpoint.path("id").asString());
            }
        }
        return ids;
    }

    private static void setEnabled(App app, List<String> endpoints, boolean enabled) throws Exception {
        for (String id : endpoints) {
            app.call(HttpRequest.newBuilder(app.uri("/api/webhooks/endpoints/" + id)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("X-API-Key", App.API_KEY)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enabled + "}")).build(), 200);
        }
    }

    /** Runs the load with the delivery workers held, so nothing is delivered meanwhile, and lets them go after. */
    private static Load.Result withWorkersHeld(App app, java.util.concurrent.Callable<Load.Result> load) throws Exception {
        holdWorkers(app, true);
        try {
            return load.call();
        }
        finally {
            holdWorkers(app, false);
        }
    }

    private static void holdWorkers(App app, boolean held) throws Exception {
        app.call(HttpRequest.newBuilder(app.uri("/bench/delivery-workers?running=" + !held)).POST(HttpRequest.BodyPublishers.noBody()).build(), 204);
    }

    /** Waits until the receiver has seen every one of these webhook-ids; the time of the last first arrival. */
    private static long awaitArrivals(WebhookReceiver receiver, String label, java.util.Set<String> webhookIds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!receiver.firstArrivalNanos.keySet().containsAll(webhookIds)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(label + ": not every message was delivered within 3 minutes");
            }
            Thread.sleep(20); // polling the receiver, not waiting for a result
        }
        return webhookIds.stream().mapToLong(receiver.firstArrivalNanos::get).max().orElseThrow();
    }

    // ---------------------------------------------------------------- the report

    private void verdict(boolean met, String what) {
        verdicts.add((met ? "- **met**: " : "- **missed**: ") + what);
    }

    private void writeReport() throws Exception {
        String loadAtStart = System.getProperty("bench.loadAtStart", "?");
        boolean busy = !loadAtStart.equals("?") && Double.parseDouble(loadAtStart) > 0.5;
        String status;
        if (quick) {
            status = "**Provisional: a short smoke run (`--quick`), not a measurement.** Rerun `bench/run-all.sh` on a quiet machine.";
        }
        else if (busy) {
            status = "**Provisional: the load average was " + loadAtStart + " when the run started, so other work shared the cores.** "
                    + "Rerun `bench/run-all.sh` on a quiet machine.";
        }
        else {
            status = "Measured on a quiet machine (load average " + loadAtStart + " at start).";
        }
        report.put("STATUS", status);
        report.put("MACHINE", Files.readString(work.resolve("machine.txt")).strip());
        report.put("VERDICTS", String.join("\n", verdicts));
        String text = Files.readString(Path.of("bench/benchmarks-template.md"));
        for (Map.Entry<String, String> entry : report.entrySet()) {
            text = text.replace("{{" + entry.getKey() + "}}", entry.getValue());
        }
        // A partial run leaves the published report alone.
        Path written = only.isEmpty() ? Path.of("docs/benchmarks.md") : work.resolve("benchmarks-partial.md");
        Files.writeString(written, text);
        System.out.println("== Verdicts\n" + String.join("\n", verdicts) + "\nWrote " + written);
    }

    private static void deleteRecursively(Path directory) throws Exception {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
