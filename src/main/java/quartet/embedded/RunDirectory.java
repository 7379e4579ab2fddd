package quartet.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;

/**
 * A directory for one set of engines' scratch files, under {@code <tmp>/quartet-run/<pid>/<n>}.
 * A JVM killed with {@code kill -9} cannot clean up after itself and leaves postgres and
 * redis-server running; the next start finds its directory, stops those orphans (only if they
 * really are postgres or redis-server processes) and deletes it.
 */
final class RunDirectory {

    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "quartet-run");
    private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE = new java.util.concurrent.atomic.AtomicInteger();

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    static RunDirectory create(Log log) {
        reapOrphans(log);
        Path path = ROOT.resolve(Long.toString(ProcessHandle.current().pid())).resolve(Integer.toString(SEQUENCE.incrementAndGet()));
        try {
            Files.createDirectories(path);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create the engines' run directory " + path, e);
        }
        return new RunDirectory(path);
    }

    Path path() {
        return path;
    }

    Path newSubdirectory(String name) {
        Path sub = path.resolve(name);
        try {
            deleteRecursively(sub);
            return Files.createDirectories(sub);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + sub, e);
        }
    }

    void delete() {
        deleteRecursively(path);
        path.getParent().toFile().delete(); // only succeeds once this JVM's last run directory is gone
    }

    private static void reapOrphans(Log log) {
        if (!Files.isDirectory(ROOT)) {
            return;
        }
        try (Stream<Path> runs = Files.list(ROOT)) {
            runs.filter(run -> ownerIsDead(run.getFileName().toString())).forEach(run -> {
                try {
                    stopOrphanProcesses(run, log);
                    deleteRecursively(run);
                }
                catch (UncheckedIOException e) {
                    // Another JVM starting at the same moment reaps the same directory: files vanish under our walk.
                    log.debug("Orphaned run directory " + run + " changed while reaping it: " + e.getMessage());
                }
            });
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Could not inspect " + ROOT + " for orphaned engines: " + e.getMessage());
        }
    }

    private static boolean ownerIsDead(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
        }
        catch (NumberFormatException e) {
            return false; // not ours
        }
    }

    private static void stopOrphanProcesses(Path run, Log log) {
        try (Stream<Path> files = Files.walk(run, 4)) {
            files.filter(f -> f.getFileName().toString().equals("postmaster.pid") || f.getFileName().toString().endsWith(".pid"))
                .forEach(pidFile -> OrphanProcess.readPid(pidFile).ifPresent(pid -> OrphanProcess.stop(pid, log)));
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Could not stop orphaned engines in " + run + ": " + e.getMessage());
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }

    /** A process left behind by a dead JVM; stopped only if it is one of our engines. */
    static final class OrphanProcess {

        private OrphanProcess() {
        }

        static Optional<Long> readPid(Path pidFile) {
            try (Stream<String> lines = Files.lines(pidFile)) {
                return lines.findFirst().map(String::trim).filter(s -> s.matches("\\d+")).map(Long::parseLong);
            }
            catch (IOException | UncheckedIOException e) {
                return Optional.empty();
            }
        }

        static void stop(long pid, Log log) {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(OrphanProcess::isEngine).ifPresent(process -> {
                log.info("Stopping orphaned engine process " + pid + " (" + command(process) + ")");
                process.destroy();
                process.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> {
                    process.destroyForcibly();
                    return process;
                }).join();
            });
        }

        private static boolean isEngine(ProcessHandle process) {
            String command = command(process);
            return command.contains("postgres") || command.contains("redis-server");
        }

        private static String command(ProcessHandle process) {
            return process.info().command().orElse("");
        }
    }
}
