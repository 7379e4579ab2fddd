package quartet.bench;

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
        Map<String, java.util.function.IntFunction<HttpRequest>> requests = Map.of(
                "bare", n -> app.get("/bench/bare/" + hot).build(),
                "redirect", n -> app.get("/" + hot).build(),
                "api", n -> app.get("/api/links/" + hot).header("X-API-Key", App.API_KEY).build());
        Map<String, Integer> statuses = Map.of("bare", 302, "redirect", 302, "api", 200);
        System.out.println(" warm-up, filter on, then off");
        for (boolean on : new boolean[] { true, false }) {
            switchFilter(app, on);
            for (String route : HOT_ROUTES) {
                Load.forDuration("warm " + route + (on ? " (filter on)" : " (filter off)"), WORKERS, on ? seconds(6, 2) : seconds(3, 1),
                        statuses.get(route), requests.get(route));
            }
        }
        Map<String, List<Load.Result>> withFilter = new LinkedHashMap<>();
        Map<String, List<Load.Result>> withoutFilter = new LinkedHashMap<>();
        HOT_ROUTES.forEach(route -> {
            withFilter.put(route, new ArrayList<>());
            withoutFilter.put(route, new ArrayList<>());
        });
        int rounds = count(5, 2);
        Duration measure = seconds(3, 1);
        System.out.println(" measured: " + rounds + " rounds, each route " + measure.toSeconds() + " s with the filter on and " + measure.toSeconds()
                + " s with it off");
        for (int round = 1; round <= rounds; round++) {
            boolean onFirst = round % 2 == 1;
            for (boolean on : new boolean[] { onFirst, !onFirst }) {
                switchFilter(app, on);
                for (String route : HOT_ROUTES) {
                    (on ? withFilter : withoutFilter).get(route).add(Load.forDuration(
                            route + ", filter " + (on ? "on" : "off") + ", round " + round, WORKERS, measure, statuses.get(route), requests.get(route)));
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
            verdict(hit.perSecond() >= 0.8 * bare.perSecond(),
                    String.format(NUMBERS, "redirect ≥ 0.8× the bare endpoint: %.2f×", hit.perSecond() / bare.perSecond()));
        }

        StringBuilder filter = new StringBuilder(
                "| route | filter on: throughput | p50 | p99 | filter off: throughput | p50 | p99 | overhead (medians) | overhead by round |\n"
                        + "|---|---|---|---|---|---|---|---|---|\n");
        double worst = 0;
        for (String route : HOT_ROUTES) {
            Load.Result withFilter = routes.medianOn(route);
            Load.Result without = routes.medianOff(route);
            double overhead = 1 - withFilter.perSecond() / without.perSecond();
            if (!route.equals("bare")) {
                worst = Math.max(worst, overhead);
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
            verdict(worst <= 0.05, String.format(NUMBERS, "rate limit filter overhead ≤ 5 %%: worst route %.1f %%", 100 * worst));
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

    private String webhooks(App app) throws Exception {
        int messages = count(1_000, 100);
        int paced = count(200, 40);
        int workers = 4; // the app's default quartet.webhooks.workers
        // The demo receiver subscribes to every event: left on, the app would send two POSTs per message (one to
        // itself) while the baseline sends one. Switched off for this section, and on again after it.
        List<String> demoEndpoints = demoEndpoints(app);
        setEnabled(app, demoEndpoints, false);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            app.call(app.post("/api/webhooks/endpoints", "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"bench.*\"]}").build(), 201);
            String body = "{\"type\":\"bench.ping\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{\"n\":1}}";
            // Warm both sides a little.
            Load.forCount("warm raw client", workers, count(300, 50), 204, n -> HttpRequest.newBuilder(java.net.URI.create(receiver.url()))
                .header("webhook-id", "warm_" + n).POST(HttpRequest.BodyPublishers.ofString(body)).build());
            ingest(app, receiver, "warm", count(200, 30), workers, 0);
            Load.Result raw = Load.forCount("baseline: raw HttpClient", workers, messages, 204, n -> HttpRequest.newBuilder(java.net.URI.create(receiver.url()))
                .header("Content-Type", "application/json").header("webhook-id", "raw_" + n)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            Delivered burst = ingest(app, receiver, "burst", messages, workers, 0);
            Delivered steady = ingest(app, receiver, "paced", paced, 1, 40);
            double backlog = drain(app, receiver, messages, workers);
            verdict(backlog >= 0.5 * raw.perSecond(), String.format(NUMBERS,
                    "webhook deliveries ≥ 0.5× the raw client: %.2f× from a queued backlog (%.2f× end to end, ingestion included)",
                    backlog / raw.perSecond(), burst.perSecond / raw.perSecond()));
            return String.join("\n",
                    "| case | deliveries/s | accept-to-first-attempt p50 | p99 | ÷ raw client |",
                    "|---|---|---|---|---|",
                    String.format(NUMBERS, "| baseline: raw `java.net.http.HttpClient`, %d concurrent, %d POSTs | %,.0f/s | – | – | 1.00 |", workers, messages,
                            raw.perSecond()),
                    String.format(NUMBERS, "| burst: %d messages accepted by %d clients as fast as they go, delivered by %d workers | %,.0f/s | %.0f ms | %.0f ms | %.2f |",
                            messages, workers, workers, burst.perSecond, burst.p50Millis, burst.p99Millis, burst.perSecond / raw.perSecond()),
                    String.format(NUMBERS, "| backlog: %d messages queued with the workers held, then delivered by %d workers | %,.0f/s | – | – | %.2f |",
                            messages, workers, backlog, backlog / raw.perSecond()),
                    String.format(NUMBERS, "| paced: %d messages, one every 40 ms (latency without a queue) | – | %.0f ms | %.0f ms | – |", paced,
                            steady.p50Millis, steady.p99Millis));
        }
        finally {
            setEnabled(app, demoEndpoints, true);
        }
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

    private record Delivered(double perSecond, double p50Millis, double p99Millis) {
    }

    /**
     * Posts messages and waits until the receiver has seen each; the rate counts from the first POST to the
     * last arrival, the latency from sending each POST to its first delivery attempt.
     */
    private Delivered ingest(App app, WebhookReceiver receiver, String label, int messages, int clients, long pauseMillis) throws Exception {
        long start = System.nanoTime();
        Map<String, Long> sentAt = post(app, label, messages, clients, pauseMillis);
        long last = awaitArrivals(receiver, label, sentAt.keySet());
        long[] latencies = sentAt.entrySet().stream().mapToLong(sent -> receiver.firstArrivalNanos.get(sent.getKey()) - sent.getValue()).sorted().toArray();
        Delivered delivered = new Delivered(messages / ((last - start) / 1e9), Load.percentile(latencies, 0.5), Load.percentile(latencies, 0.99));
        System.out.printf(NUMBERS, "  webhooks %s: %d delivered, %,.0f/s, accept-to-first-attempt p50 %.0f ms, p99 %.0f ms%n", label, messages,
                delivered.perSecond, delivered.p50Millis, delivered.p99Millis);
        return delivered;
    }

    /**
     * Delivery alone: the workers are held while the messages are accepted and every job reaches the broker,
     * then let go; the rate counts from letting them go to the last arrival.
     */
    private double drain(App app, WebhookReceiver receiver, int messages, int clients) throws Exception {
        Map<String, Long> sentAt;
        holdWorkers(app, true);
        try {
            sentAt = post(app, "backlog", messages, clients, 0);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!"0".equals(app.call(app.get("/bench/incomplete-publications").build(), 200).trim())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("backlog: the delivery jobs did not all reach the broker within 2 minutes");
                }
                Thread.sleep(50); // polling the registry, not waiting for a result
            }
        }
        finally {
            holdWorkers(app, false);
        }
        long released = System.nanoTime();
        double perSecond = messages / ((awaitArrivals(receiver, "backlog", sentAt.keySet()) - released) / 1e9);
        System.out.printf(NUMBERS, "  webhooks backlog: %d delivered from the queue, %,.0f/s%n", messages, perSecond);
        return perSecond;
    }

    private static void holdWorkers(App app, boolean held) throws Exception {
        app.call(HttpRequest.newBuilder(app.uri("/bench/delivery-workers?running=" + !held)).POST(HttpRequest.BodyPublishers.noBody()).build(), 204);
    }

    /** Posts the messages from that many clients; the webhook-id of each message, with when its POST was sent. */
    private static Map<String, Long> post(App app, String label, int messages, int clients, long pauseMillis) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            for (int c = 0; c < clients; c++) {
                done.add(pool.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < messages) {
                        long sent = System.nanoTime();
                        HttpResponse<String> response = Load.CLIENT.send(app.post("/api/webhooks/messages",
                                "{\"eventType\":\"bench.ping\",\"payload\":{\"label\":\"" + label + "\",\"n\":" + n + "}}").build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 202) {
                            throw new IllegalStateException("ingestion answered " + response.statusCode() + ": " + response.body());
                        }
                        sentAt.put("msg_" + App.field(response.body(), "messageId"), sent);
                        if (pauseMillis > 0) {
                            Thread.sleep(pauseMillis); // pacing the load, not waiting for a result
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> future : done) {
                future.get();
            }
        }
        finally {
            pool.shutdownNow();
        }
        return sentAt;
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
