package quartet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged jar as a recruiter runs it: {@code java -jar target/quartet.jar} as a
 * separate process with no service configured (every engine embedded, whatever SPRING_*
 * variables CI sets), the demo story over HTTP, then SIGTERM and nothing left running;
 * then a second start, which finds the demo data again and runs on the class-data archive
 * the first one saved. Run by failsafe in {@code ./mvnw verify}, after the jar is built.
 */
class PackagedJarIT {

    private static final String KEY = "demo-key-change-me";

    // a loaded 2-core machine
    private static final Duration START = Duration.ofMinutes(3);

    private static final Duration STEP = Duration.ofSeconds(60);

    private final JsonMapper json = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path work;

    private Process quartet;

    private Path log;

    private String base;

    @Test
    void playsTheDemoStoryOnEmbeddedEnginesAndLeavesNothingRunningAfterSigterm() throws Exception {
        start();
        await("health UP").atMost(START).pollInterval(Duration.ofMillis(250)).until(this::healthy);

        JsonNode order = post("/api/orders", Map.of("customerReference", "e2e", "currency", "EUR", "items",
                List.of(Map.of("description", "Book", "quantity", 1, "unitPrice", 1250))), Map.of(), 201);
        String orderId = order.get("id").asText();
        Map<String, Object> payment = Map.of("orderId", orderId, "amount", 1250, "currency", "EUR", "paymentMethod",
                "pm_card_visa");
        post("/api/payments", payment, Map.of("Idempotency-Key", UUID.randomUUID().toString()), 201, 202);
        await("order PAID").atMost(STEP)
            .until(() -> "PAID".equals(get("/api/orders/" + orderId).get("status").asText()));

        await("the payment's webhooks delivered to the demo receiver with a valid signature").atMost(STEP)
            .untilAsserted(() -> {
                JsonNode received = get("/demo/webhooks/received");
                assertThat(received).anySatisfy(request -> {
                    assertThat(request.get("eventType").asText()).isIn("order.paid", "payment.succeeded");
                    assertThat(request.get("signatureValid").asBoolean()).isTrue();
                    assertThat(request.get("answeredStatus").asInt()).isBetween(200, 299);
                });
            });

        String code = post("/api/links", Map.of("targetUrl", "https://example.org/quartet"), Map.of(), 201).get("code")
            .asText();
        HttpResponse<String> redirect = http.send(
                request("/" + code).header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) e2e").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).hasValue("https://example.org/quartet");
        await("the click counted after the flush").atMost(STEP)
            .until(() -> get("/api/links/" + code + "/stats").get("totalClicks").asLong() >= 1);

        List<Integer> burst = IntStream.range(0, 30)
            .mapToObj(i -> status(request("/demo/limited").GET().build()))
            .toList();
        assertThat(burst).contains(200).contains(429);

        stopWithSigtermAndExpectNothingLeft();
        assertThat(launcherCache().resolve("quartet.jsa")).as("the class-data archive the first stop saved")
            .isRegularFile();

        start();
        await("health UP, second start").atMost(START).pollInterval(Duration.ofMillis(250)).until(this::healthy);
        assertThat(applicationJvm().info().arguments().orElseThrow())
            .contains("-XX:SharedArchiveFile=" + launcherCache().resolve("quartet.jsa"));
        Path maps = Path.of("/proc", Long.toString(applicationJvm().pid()), "maps");
        if (Files.isReadable(maps)) {
            assertThat(Files.readString(maps)).as("the archive is mapped, not ignored")
                .contains(launcherCache().resolve("quartet.jsa").toString());
        }
        assertThat(get("/api/orders/" + orderId).get("status").asText()).as("the demo data of the first run")
            .isEqualTo("PAID");
        stopWithSigtermAndExpectNothingLeft();
    }

    /** The JVM the launcher started on the extracted jar: the one that runs Quartet. */
    private ProcessHandle applicationJvm() {
        List<ProcessHandle> jvms = quartet.children()
            .filter(child -> child.info().command().orElse("").endsWith("java"))
            .toList();
        assertThat(jvms).as("one application JVM under the launcher").hasSize(1);
        return jvms.get(0);
    }

    /** The launcher's cache entry for the jar under test, beside the demo data. */
    private Path launcherCache() throws IOException {
        try (Stream<Path> entries = Files.list(work.resolve("data").resolve("launcher"))) {
            List<Path> directories = entries.filter(Files::isDirectory).toList();
            assertThat(directories).as("one extracted jar in the launcher cache").hasSize(1);
            return directories.get(0);
        }
    }

    private void start() throws IOException {
        Path jar = Path.of(System.getProperty("quartet.jar", "target/quartet.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged jar (./mvnw verify builds it first)").isRegularFile();
        int port = ServerPorts.free();
        base = "http://127.0.0.1:" + port;
        log = Path.of("target", "e2e", "quartet-" + port + ".log");
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java,
                "-Djava.io.tmpdir=" + Files.createDirectories(work.resolve("tmp")), "-jar", jar.toString(),
                "--server.port=" + port, "--quartet.embedded.data-directory=" + work.resolve("data"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
        // CI points the test suite at real services: the jar under test must embed
        // everything.
        builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("QUARTET_"));
        quartet = builder.start();
    }

    private void stopWithSigtermAndExpectNothingLeft() throws Exception {
        // redis-server is a child; pg_ctl daemonizes postgres, so its postmaster is found
        // by pid file.
        long postmaster = Long.parseLong(
                Files.readAllLines(work.resolve("data").resolve("postgres").resolve("postmaster.pid")).get(0).trim());
        List<ProcessHandle> engines = Stream
            .concat(quartet.descendants(),
                    ProcessHandle.of(postmaster).stream().flatMap(p -> Stream.concat(Stream.of(p), p.descendants())))
            .toList();
        assertThat(engines).extracting(p -> p.info().command().orElse(""))
            .anySatisfy(command -> assertThat(command).contains("redis-server"))
            .anySatisfy(command -> assertThat(command).contains("postgres"));
        assertThat(engines).as("the application JVM is one of the processes that must end").contains(applicationJvm());
        Path runDirectory = work.resolve("tmp").resolve("quartet-run").resolve(Long.toString(applicationJvm().pid()));
        assertThat(runDirectory).isDirectory();

        // SIGTERM to the launcher, as a service manager would stop it; it stops the
        // application JVM
        quartet.destroy();
        // The first stop also writes the class-data archive (about 170 MB).
        assertThat(quartet.waitFor(3, TimeUnit.MINUTES)).as("Quartet stops within three minutes").isTrue();

        await("every engine process gone").atMost(Duration.ofSeconds(30))
            .until(() -> engines.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(runDirectory).as("the run's scratch files are deleted").doesNotExist();
        assertThat(work.resolve("data").resolve("postgres").resolve("PG_VERSION")).as("the demo data stays").exists();
    }

    @AfterEach
    void killWhateverIsLeft() {
        if (quartet != null && quartet.isAlive()) {
            quartet.descendants().forEach(ProcessHandle::destroyForcibly);
            quartet.destroyForcibly();
            System.err.println("Quartet's log: " + log.toAbsolutePath());
        }
    }

    private boolean healthy() throws IOException {
        if (!quartet.isAlive()) {
            throw new IllegalStateException(
                    "Quartet exited with " + quartet.exitValue() + "; its log:\n" + Files.readString(log));
        }
        try {
            HttpResponse<String> response = http.send(request("/actuator/health").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && "UP".equals(json.readTree(response.body()).path("status").asText());
        }
        catch (IOException e) {
            return false; // not listening yet
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("X-API-Key", KEY);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode post(String path, Object body, Map<String, String> headers, Integer... expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        headers.forEach(builder::header);
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isIn((Object[]) expected);
        return json.readTree(response.body());
    }

    private int status(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
