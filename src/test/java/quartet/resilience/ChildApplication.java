package quartet.resilience;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import quartet.e2e.ServerPorts;

/**
 * The application as a separate JVM on the test's class path, with its own port and its
 * own temporary directory (its log is there too). {@link #kill()} is SIGKILL: no shutdown
 * hook runs.
 */
final class ChildApplication implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(150);

    private final String name;

    private final List<String> arguments;

    private final Path directory;

    private final int port;

    private Process process;

    ChildApplication(String name, List<String> arguments) {
        this.name = name;
        this.arguments = List.copyOf(arguments);
        try {
            this.directory = Files.createTempDirectory("quartet-child-" + name + "-");
            this.port = ServerPorts.free();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts the process (again, after a kill) and waits until its health endpoint
     * answers UP.
     */
    ChildApplication start() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx320m",
                        "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + directory,
                        // Exits with the test JVM, even a killed one: no orphan keeps
                        // using the shared services.
                        "-Dquartet.launcher.parent-pid=" + ProcessHandle.current().pid(), "-cp", classPath,
                        "quartet.QuartetApplication", "--server.port=" + port, "--quartet.embedded.data-directory=",
                        "--spring.main.banner-mode=off"));
        command.addAll(arguments);
        File log = directory.resolve("application.log").toFile();
        try {
            process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
                .start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpClient http = HttpClient.newHttpClient();
        await(name + " healthy (log: " + log + ")").atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                return http
                    .send(HttpRequest.newBuilder(URI.create(url("/actuator/health"))).build(), BodyHandlers.ofString())
                    .statusCode() == 200;
            }
            catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Path log() {
        return directory.resolve("application.log");
    }

    /** kill -9: the JVM gets no chance to finish anything. */
    void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
    }

}
