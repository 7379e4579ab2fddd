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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import quartet.e2e.ServerPorts;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar in its default embedded mode (launcher included, every engine
 * embedded, a persistent data directory of its own): {@code kill -9} of the application
 * JVM in the middle of a burst of payments, then a restart on the same data directory.
 * Every accepted payment is SUCCEEDED or FAILED within the published bound with FlowPay's
 * default settings, the simulated provider holds one charge per payment and it agrees
 * with the payment, and no event publication stays incomplete. Only the event registry's
 * staleness settings are shortened (they are not what this test is about).
 */
class EmbeddedCrashRecoveryIT {

    private static final String KEY = "demo-key-change-me";

    // a ceiling for a loaded 2-core machine; about 20 s when idle
    private static final Duration START = Duration.ofMinutes(5);

    /**
     * The bound docs/payments.md publishes for default settings, counted from the
     * restart.
     */
    private static final Duration PUBLISHED_BOUND = Duration.ofSeconds(90);

    private static final int PAYMENTS = 30;

    /**
     * The variables CI sets to point the suite at real services: the jar under test must
     * embed everything.
     */
    private static final Set<String> SERVICE_VARIABLES = Set.of("SPRING_DATASOURCE_URL", "SPRING_DATA_REDIS_HOST",
            "SPRING_RABBITMQ_HOST", "SPRING_KAFKA_BOOTSTRAP_SERVERS", "QUARTET_SERVICES");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @TempDir
    Path work;

    private Process launcher;

    private Path log;

    private String base;

    @Test
    void losesNoAcceptedPaymentAndChargesNoneTwiceAcrossAKillNineOfTheApplicationJvm() throws Exception {
        Instant started = Instant.now();
        start();
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            HttpResponse<String> order = post("/api/orders",
                    "{\"customerReference\":\"embedded-crash\",\"currency\":\"EUR\","
                            + "\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":700}]}",
                    Map.of());
            assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
            orders.add(UUID.fromString(json.readTree(order.body()).path("id").asString()));
        }

        ExecutorService clients = Executors.newFixedThreadPool(6);
        AtomicInteger answered = new AtomicInteger();
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < orders.size(); i++) {
            String method = i % 3 == 2 ? "pm_card_flaky" : "pm_card_visa";
            String body = "{\"orderId\":\"" + orders.get(i)
                    + "\",\"amount\":700,\"currency\":\"EUR\",\"paymentMethod\":\"" + method + "\"}";
            String idempotencyKey = "embedded-crash-" + orders.get(i);
            burst.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("/api/payments", body, Map.of("Idempotency-Key", idempotencyKey));
                }
                catch (IOException e) {
                    return null; // no answer: the process died while answering
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
                finally {
                    answered.incrementAndGet();
                }
            }, clients));
        }
        // Kill while some processing request lives only in Kafka: a flaky card's retry
        // waiting in a retry
        // topic (its payment PROCESSING), or a request the outbox handed over whose
        // payment is still CREATED.
        JdbcClient firstRun = embeddedPostgres();
        await("a processing request in Kafka alone").atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> answered.get() >= PAYMENTS / 3 && requestsOnlyInKafka(firstRun, orders) > 0);
        int onlyInKafka = requestsOnlyInKafka(firstRun, orders);
        ProcessHandle application = applicationJvm();
        // SIGKILL: no shutdown hook, no flush, no offset commit
        application.destroyForcibly();
        await("the application JVM gone").atMost(Duration.ofSeconds(30)).until(() -> !application.isAlive());
        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).as("the launcher ends with its application JVM").isTrue();
        clients.shutdown();
        List<UUID> accepted = burst.stream()
            .map(CompletableFuture::join)
            .filter(response -> response != null && response.statusCode() == 201)
            .map(response -> UUID.fromString(json.readTree(response.body()).path("id").asString()))
            .toList();
        assertThat(accepted).as("payments accepted before the kill").isNotEmpty();

        start();
        Instant restarted = Instant.now();
        JdbcClient jdbc = embeddedPostgres();
        System.out.println("EmbeddedCrashRecoveryIT: killed after " + accepted.size() + " of " + PAYMENTS
                + " payments were accepted, " + onlyInKafka + " with a request in Kafka alone; " + "open at restart: "
                + jdbc
                    .sql("SELECT status || ' ' || count(*) FROM payments.payments WHERE order_id IN (:orders) "
                            + "AND status IN ('CREATED', 'PROCESSING') GROUP BY status")
                    .param("orders", orders)
                    .query(String.class)
                    .list());

        await("every accepted payment terminal within the published bound of the restart").atMost(PUBLISHED_BOUND)
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(() -> assertThat(jdbc
                .sql("SELECT id || ' ' || status FROM payments.payments WHERE order_id IN (:orders) "
                        + "AND status NOT IN ('SUCCEEDED', 'FAILED')")
                .param("orders", orders)
                .query(String.class)
                .list()).isEmpty());
        System.out.println("EmbeddedCrashRecoveryIT: every payment terminal "
                + Duration.between(restarted, Instant.now()).toSeconds() + " s after the restart");
        // The provider's record: one row per payment it was asked to charge (the key a
        // real provider
        // dedupes charges by), with its calls and its first answer, kept across the
        // restart.
        List<Map<String, Object>> payments = jdbc
            .sql("""
                    SELECT p.id, p.status, c.outcome, c.calls,
                           (SELECT count(*) FROM payments.simulated_provider_requests x WHERE x.kind = 'CHARGE' AND x.id = p.id) AS charges
                    FROM payments.payments p LEFT JOIN payments.simulated_provider_requests c ON c.kind = 'CHARGE' AND c.id = p.id
                    WHERE p.order_id IN (:orders)""")
            .param("orders", orders)
            .query()
            .listOfRows();
        assertThat(payments).extracting(row -> (UUID) row.get("id")).containsAll(accepted);
        assertThat(payments).as("visa and flaky cards are approved in the end, each charged once").allSatisfy(row -> {
            assertThat(row.get("status")).as(row.toString()).isEqualTo("SUCCEEDED");
            assertThat(((Number) row.get("charges")).longValue()).as("provider charges for " + row).isEqualTo(1);
            assertThat(row.get("outcome")).as("the provider's answer for " + row).isEqualTo("APPROVED");
        });
        System.out.println("EmbeddedCrashRecoveryIT: provider calls per payment "
                + payments.stream().map(row -> row.get("calls")).toList());

        await("no incomplete event publication").atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(() -> assertThat(jdbc.sql("""
                    SELECT listener_id || ' ' || event_type FROM event_publication
                    WHERE completion_date IS NULL AND publication_date >= :started""")
                .param("started", Timestamp.from(started))
                .query(String.class)
                .list()).isEmpty());
    }

    private void start() throws IOException {
        Path jar = Path.of(System.getProperty("quartet.jar", "target/quartet.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged jar (./mvnw verify builds it first)").isRegularFile();
        int port = ServerPorts.free();
        base = "http://127.0.0.1:" + port;
        log = Path.of("target", "e2e", "embedded-crash-" + port + ".log");
        Files.createDirectories(log.getParent());
        Path home = Files.createDirectories(work.resolve("home"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Duser.home=" + home,
                "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")), "-jar", jar.toString(),
                "--server.port=" + port, "--quartet.embedded.data-directory=" + work.resolve("data"),
                // The registry's staleness (minutes by default) is another bound than the
                // one under test.
                "--quartet.events.resubmission.interval=2s", "--quartet.events.resubmission.min-age=2s",
                "--spring.modulith.events.staleness.check-intervall=2s",
                "--spring.modulith.events.staleness.published=5s", "--spring.modulith.events.staleness.processing=5s",
                "--spring.modulith.events.staleness.resubmission=5s")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment()
            .keySet()
            .removeIf(name -> SERVICE_VARIABLES.contains(name) || name.startsWith("SPRING_")
                    || name.startsWith("QUARTET_"));
        builder.environment().put("HOME", home.toString());
        launcher = builder.start();
        await("health UP (log: " + log.toAbsolutePath() + ")").atMost(START)
            .pollInterval(Duration.ofMillis(500))
            .until(this::healthy);
    }

    /** The JVM the launcher started on the extracted jar: the one that runs Quartet. */
    private ProcessHandle applicationJvm() {
        List<ProcessHandle> jvms = launcher.children()
            .filter(child -> child.info().command().orElse("").endsWith("java"))
            .toList();
        assertThat(jvms).as("one application JVM under the launcher").hasSize(1);
        return jvms.get(0);
    }

    /** Payments whose processing request Kafka holds and nobody has finished with yet. */
    private static int requestsOnlyInKafka(JdbcClient jdbc, List<UUID> orders) {
        return jdbc
            .sql("""
                    SELECT count(*) FROM payments.payments p
                    WHERE p.order_id IN (:orders) AND (
                        (p.status = 'PROCESSING' AND p.payment_method = 'pm_card_flaky')
                        OR (p.status = 'CREATED' AND EXISTS (SELECT 1 FROM event_publication_archive e
                            WHERE e.event_type LIKE '%PaymentRequested' AND e.serialized_event LIKE '%' || p.id || '%')))""")
            .param("orders", orders)
            .query(Integer.class)
            .single();
    }

    /**
     * The embedded PostgreSQL of the running application, found by its pid file in the
     * data directory.
     */
    private JdbcClient embeddedPostgres() throws IOException {
        // postmaster.pid: pid, data directory, start time, port, ...
        String port = Files.readAllLines(work.resolve("data").resolve("postgres").resolve("postmaster.pid"))
            .get(3)
            .trim();
        return JdbcClient
            .create(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", ""));
    }

    /**
     * Stops everything with SIGKILL, as the test is about nothing else (a SIGTERM would
     * first make Java 17 write the launcher's 170 MB class-data archive), then postgres,
     * which daemonizes, and waits for it so the temporary directory can go.
     */
    @AfterEach
    void killWhateverIsLeft() throws Exception {
        System.err.println("Quartet's log: " + log.toAbsolutePath());
        if (launcher != null) {
            List<ProcessHandle> processes = Stream.concat(launcher.descendants(), Stream.of(launcher.toHandle()))
                .toList();
            processes.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle process : processes) {
                process.onExit().get(30, TimeUnit.SECONDS);
            }
        }
        Path postmasterPid = work.resolve("data").resolve("postgres").resolve("postmaster.pid");
        if (Files.exists(postmasterPid)) {
            Optional<ProcessHandle> postmaster = ProcessHandle
                .of(Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim()));
            postmaster.ifPresent(ProcessHandle::destroy);
            if (postmaster.isPresent()) {
                postmaster.get().onExit().get(60, TimeUnit.SECONDS);
            }
        }
        Path runs = work.resolve("tmp").resolve("quartet-run");
        if (Files.isDirectory(runs)) {
            try (Stream<Path> files = Files.walk(runs)) {
                files.filter(file -> file.getFileName().toString().endsWith(".pid")).forEach(pidFile -> {
                    try {
                        ProcessHandle.of(Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                            .filter(process -> process.info().command().orElse("").contains("redis-server"))
                            .ifPresent(ProcessHandle::destroyForcibly);
                    }
                    catch (IOException | RuntimeException e) {
                        // not a pid file we can read: nothing of ours to stop
                    }
                });
            }
        }
    }

    private boolean healthy() throws IOException {
        if (!launcher.isAlive()) {
            throw new IllegalStateException(
                    "Quartet exited with " + launcher.exitValue() + "; its log:\n" + Files.readString(log));
        }
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health"))
                .timeout(Duration.ofSeconds(10))
                .build(), BodyHandlers.ofString());
            return response.statusCode() == 200
                    && "UP".equals(json.readTree(response.body()).path("status").asString());
        }
        catch (IOException e) {
            return false; // not listening yet
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpResponse<String> post(String path, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("X-API-Key", KEY)
            .POST(BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), BodyHandlers.ofString());
    }

}
