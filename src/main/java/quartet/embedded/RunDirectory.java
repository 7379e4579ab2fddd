package quartet.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;

/**
 * A directory for one set of engines' scratch files, under
 * {@code <tmp>/quartet-run/<pid>/<n>}. A JVM killed with {@code kill -9} cannot clean up
 * after itself and leaves postgres and redis-server running; the next start finds its
 * directory, stops those orphans (only if they really are postgres or redis-server
 * processes) and deletes it, and deletes what embedded-redis itself left in the temp
 * folder ({@link #reapStrayRedisFiles}).
 */
final class RunDirectory {

    private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));

    private static final Path ROOT = TEMP.resolve("quartet-run");

    // embedded-redis's own temp files (see reapStrayRedisFiles): a folder named
    // redis-<digits>
    // holding only its binary, and a config file per start.
    private static final java.util.regex.Pattern STRAY_REDIS_DIR = java.util.regex.Pattern.compile("redis-\\d+");

    private static final java.util.regex.Pattern STRAY_REDIS_CONF = java.util.regex.Pattern
        .compile("embedded-redis-server_\\d+\\.conf");

    // Younger files may belong to a JVM that is starting its redis-server right now.
    private static final java.time.Duration STRAY_MIN_AGE = java.time.Duration.ofMinutes(10);

    private static final java.util.concurrent.atomic.AtomicInteger SEQUENCE = new java.util.concurrent.atomic.AtomicInteger();

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    static RunDirectory create(Log log) {
        reapOrphans(log);
        reapStrayRedisFiles(TEMP, STRAY_MIN_AGE, log);
        Path path = ROOT.resolve(Long.toString(ProcessHandle.current().pid()))
            .resolve(Integer.toString(SEQUENCE.incrementAndGet()));
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
        // only succeeds once this JVM's last run directory is gone
        path.getParent().toFile().delete();
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
                    // Another JVM starting at the same moment reaps the same directory:
                    // files vanish under our walk.
                    log.debug("Orphaned run directory " + run + " changed while reaping it: " + e.getMessage());
                }
            });
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Could not inspect " + ROOT + " for orphaned engines: " + e.getMessage());
        }
    }

    /**
     * Deletes what embedded-redis left in the temp folder by its defaults after a killed
     * JVM (its deleteOnExit never ran): the binary's {@code redis-<digits>} folder, 9 MB
     * each, as Quartet made before its binary ran from the run directory, and
     * {@code embedded-redis-server_*.conf} files. Only older than {@code minAge}, and a
     * folder only if nothing in it is a file other than a {@code redis-server-*} binary
     * and no live process runs from it.
     */
    static void reapStrayRedisFiles(Path temp, java.time.Duration minAge, Log log) {
        java.time.Instant cutoff = java.time.Instant.now().minus(minAge);
        try (Stream<Path> entries = Files.list(temp)) {
            List<Path> stray = entries.filter(entry -> olderThan(entry, cutoff))
                .filter(entry -> STRAY_REDIS_CONF.matcher(entry.getFileName().toString()).matches()
                        && Files.isRegularFile(entry)
                        || STRAY_REDIS_DIR.matcher(entry.getFileName().toString()).matches()
                                && holdsOnlyARedisBinary(entry))
                .toList();
            if (stray.isEmpty()) {
                return;
            }
            Set<Path> running = runningExecutables();
            for (Path entry : stray) {
                if (running.stream().anyMatch(executable -> executable.startsWith(entry))) {
                    continue;
                }
                try {
                    deleteRecursively(entry);
                    log.debug("Deleted " + entry + ", left by an embedded redis-server whose JVM was killed");
                }
                catch (UncheckedIOException e) {
                    log.debug("Could not delete stray " + entry + ": " + e.getMessage());
                }
            }
        }
        catch (IOException | UncheckedIOException e) {
            log.warn("Could not inspect " + temp + " for files of killed embedded Redis servers: " + e.getMessage());
        }
    }

    private static boolean olderThan(Path entry, java.time.Instant cutoff) {
        try {
            return Files.getLastModifiedTime(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                .toInstant()
                .isBefore(cutoff);
        }
        catch (IOException e) {
            return false;
        }
    }

    private static boolean holdsOnlyARedisBinary(Path dir) {
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            return !all.isEmpty() && all.stream()
                .allMatch(file -> file.getFileName().toString().startsWith("redis-server-")
                        && Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        }
        catch (IOException e) {
            return false;
        }
    }

    private static Set<Path> runningExecutables() {
        return ProcessHandle.allProcesses()
            .map(process -> process.info().command())
            .flatMap(Optional::stream)
            .map(Path::of)
            .collect(java.util.stream.Collectors.toSet());
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
            files
                .filter(f -> f.getFileName().toString().equals("postmaster.pid")
                        || f.getFileName().toString().endsWith(".pid"))
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
