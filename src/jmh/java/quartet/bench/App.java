package quartet.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One application process under test: started as {@code java ... quartet.jar} with a port and data
 * directory of its own, timed to healthy, measured for resident memory, and stopped.
 */
final class App implements AutoCloseable {

    static final String API_KEY = "demo-key-change-me";

    final int port;
    final double secondsToHealthy;
    private final Process process;

    private App(int port, Process process, double secondsToHealthy) {
        this.port = port;
        this.process = process;
        this.secondsToHealthy = secondsToHealthy;
    }

    /**
     * Starts the jar and waits for /actuator/health to say UP.
     *
     * @param extraClasses a directory put on the Spring Boot loader path (the benchmark-only routes), or null
     *        to start the plain jar exactly as a user would
     */
    static App start(Path jar, Path extraClasses, Path dataDirectory, Path log, List<String> properties) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // For profiling a section, e.g. -Dbench.appJvmOptions=-XX:StartFlightRecording=filename=app.jfr,settings=profile
        String jvmOptions = System.getProperty("bench.appJvmOptions", "").trim();
        if (!jvmOptions.isEmpty()) {
            command.addAll(List.of(jvmOptions.split("\\s+")));
        }
        if (extraClasses == null) {
            command.addAll(List.of("-jar", jar.toString()));
        }
        else {
            command.addAll(List.of("-Dloader.path=" + extraClasses, "-cp", jar.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
        }
        command.add("--server.port=" + port);
        command.add("--quartet.embedded.data-directory=" + dataDirectory);
        command.addAll(properties);
        Files.createDirectories(log.getParent());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        App app = null;
        try {
            long deadline = started + Duration.ofMinutes(5).toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The application exited with " + process.exitValue() + "; see " + log);
                }
                if (healthy(port)) {
                    app = new App(port, process, (System.nanoTime() - started) / 1e9);
                    return app;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("The application was not healthy within 5 minutes; see " + log);
        }
        finally {
            if (app == null) {
                stop(process);
            }
        }
    }

    private static boolean healthy(int port) {
        try {
            HttpResponse<String> health = Load.CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return health.statusCode() == 200; // 503 while any component is down
        }
        catch (IOException e) {
            return false;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Resident memory of the Java processes, in MiB: the application JVM and, for a plain
     * {@code java -jar}, the launcher JVM that started it on the extracted jar.
     */
    double jvmRssMiB() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants()).filter(App::isJava)
            .mapToLong(handle -> rssKiB(handle.pid())).sum() / 1024.0;
    }

    /** Resident memory of the launcher JVM alone, in MiB; 0 when the application runs in the JVM started here. */
    double launcherRssMiB() {
        return process.descendants().anyMatch(App::isJava) ? rssKiB(process.pid()) / 1024.0 : 0;
    }

    private static boolean isJava(ProcessHandle handle) {
        return handle.info().command().orElse("").endsWith("/java");
    }

    /** Resident memory of the JVM and every process it started (embedded PostgreSQL, Redis), in MiB. */
    double totalRssMiB() {
        long kib = rssKiB(process.pid());
        kib += process.descendants().mapToLong(child -> rssKiB(child.pid())).sum();
        return kib / 1024.0;
    }

    private static long rssKiB(long pid) {
        try {
            Matcher rss = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return rss.find() ? Long.parseLong(rss.group(1)) : 0;
        }
        catch (IOException e) {
            return 0; // exited meanwhile
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    }

    HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json").header("X-API-Key", API_KEY)
            .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    /** POSTs and returns the body, failing unless the status is the expected one. */
    String call(HttpRequest request, int expectedStatus) throws Exception {
        HttpResponse<String> response = Load.CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"?([^\",}]+)").matcher(json);
        if (!value.find()) {
            throw new IllegalStateException("No " + name + " in " + json);
        }
        return value.group(1);
    }

    @Override
    public void close() {
        stop(process);
    }

    /** SIGTERM, so the app stops its embedded engines; forcibly only if it hangs. */
    private static void stop(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            // The first stop of a build also writes the launcher's class-data archive.
            if (!process.waitFor(180, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
    }

    /**
     * A free port below the OS's ephemeral range (32768 on Linux): a port from that range, chosen
     * here and bound by the application seconds later, can meanwhile become the local end of one
     * of its own outgoing connections (it happened once, to the web server's port).
     */
    static int freePort() throws IOException {
        var random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = random.nextInt(10_000, 32_768);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new java.net.InetSocketAddress(candidate));
                return candidate;
            }
            catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IOException("No free port between 10000 and 32768");
    }
}
