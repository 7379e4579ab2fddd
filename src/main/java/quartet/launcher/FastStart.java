package quartet.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

import org.jspecify.annotations.Nullable;

/**
 * Makes a plain {@code java -jar quartet.jar} start fast on a small machine. Run from the
 * packaged jar, this JVM hands over to a second one started on the jar's extracted copy
 * with a class-data archive (both prepared on the first start, see {@link ExtractedJar})
 * and stays only to wait for it, pass on its exit code and stop it with itself. In demo
 * mode (the default) that JVM compiles with C1 only, which starts sooner at the price of
 * peak throughput. Measurements in docs/architecture.md.
 *
 * <p>
 * It stays out of the way whenever handing over would surprise: run from an IDE, a build
 * or an already extracted jar, under a debugger or an agent, with an archive chosen by
 * hand, or with {@code quartet.launcher.enabled=false}. Any failure to prepare falls back
 * to starting here.
 */
public final class FastStart {

    // the first stop also writes the archive
    private static final Duration CHILD_STOP = Duration.ofMinutes(2);

    private FastStart() {
    }

    /**
     * Runs Quartet in a prepared JVM when that is worthwhile and returns its exit code,
     * or returns empty when Quartet should start in this JVM.
     */
    public static OptionalInt runInPreparedJvm(String[] arguments) {
        LaunchSettings settings = LaunchSettings.current(arguments);
        Optional<String> parentPid = settings.get(LaunchSettings.PARENT_PID);
        if (parentPid.isPresent()) {
            stopWithLauncher(Long.parseLong(parentPid.get()));
            return OptionalInt.empty();
        }
        Optional<Path> fatJar = runningFatJar();
        if (!settings.enabled() || fatJar.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (ChildCommand.optionToRunHere(jvmOptions).isPresent()) {
            return OptionalInt.empty();
        }
        PrintStream out = System.out;
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ExtractedJar extracted;
        try {
            extracted = ExtractedJar.prepare(fatJar.get(), settings.cacheDirectory(), java, out);
        }
        catch (IOException | RuntimeException e) {
            out.println("Quartet: starting from the jar itself (" + e + ")");
            return OptionalInt.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(130);
        }
        long pid = ProcessHandle.current().pid();
        List<String> command = ChildCommand.build(java, Runtime.version().feature(), jvmOptions, extracted.paths(), pid,
                settings.demo(), List.of(arguments));
        return OptionalInt.of(new ChildJvm(command, extracted, pid, out).run());
    }

    /**
     * The Spring Boot executable jar this JVM runs from with {@code java -jar}, if it
     * does; not when a launcher class is named on the command line (the benchmarks add
     * classes through {@code PropertiesLauncher}, which an extracted jar would not
     * honour).
     */
    private static Optional<Path> runningFatJar() {
        String classPath = System.getProperty("java.class.path", "");
        String command = System.getProperty("sun.java.command", "");
        if (classPath.isEmpty() || classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")
                || !command.startsWith(classPath)) {
            return Optional.empty();
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            return Optional.empty();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            String mainClass = file.getManifest() == null ? null
                    : file.getManifest().getMainAttributes().getValue("Main-Class");
            return mainClass != null && mainClass.startsWith("org.springframework.boot.loader.") ? Optional.of(jar)
                    : Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The launcher waits for this JVM; if it is killed instead, this JVM stops too rather
     * than run on unseen.
     */
    private static void stopWithLauncher(long launcherPid) {
        ProcessHandle.of(launcherPid)
            .map(ProcessHandle::onExit)
            .ifPresentOrElse(exit -> exit.thenRun(() -> System.exit(143)), () -> System.exit(143));
    }

    /** The prepared JVM, started with this one's standard streams and stopped with it. */
    private static final class ChildJvm {

        private final List<String> command;

        private final ExtractedJar extracted;

        private final long launcherPid;

        private final PrintStream out;

        private @Nullable Process process;

        private boolean finished;

        ChildJvm(List<String> command, ExtractedJar extracted, long launcherPid, PrintStream out) {
            this.command = command;
            this.extracted = extracted;
            this.launcherPid = launcherPid;
            this.out = out;
        }

        int run() {
            try {
                // Ctrl-C reaches both JVMs (one process group); SIGTERM to this one alone
                // is passed on by the hook.
                Runtime.getRuntime().addShutdownHook(new Thread(this::stopAndFinish, "quartet-launcher-stop"));
                synchronized (this) {
                    process = new ProcessBuilder(command).inheritIO().start();
                }
                int exit = process.waitFor();
                stopAndFinish();
                return exit;
            }
            catch (IOException e) {
                out.println("Quartet: could not start " + command.get(0) + ": " + e.getMessage());
                return 1;
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopAndFinish();
                return 130;
            }
        }

        private synchronized void stopAndFinish() {
            if (finished || process == null) {
                return;
            }
            try {
                if (process.isAlive()) {
                    process.destroy();
                    if (!process.waitFor(CHILD_STOP.toSeconds(), TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            }
            catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            // Only a Java 17 first start leaves a pending archive; otherwise there is
            // nothing to publish.
            if (extracted.publishArchive(launcherPid)) {
                out.println("Quartet: class-data archive saved; the next start is faster");
            }
            try {
                extracted.close();
            }
            catch (IOException e) {
                // The lock goes with the process anyway.
            }
            finished = true;
        }

    }

}
