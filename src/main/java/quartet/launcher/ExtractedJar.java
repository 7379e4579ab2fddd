package quartet.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One jar's entry in the launcher cache: the jar extracted by Spring Boot's {@code tools}
 * jar mode (an application jar beside plain library jars, which load faster than nested
 * ones) and the class-data archive of its classes. The entry is named after the jar file
 * and the JVM, so a new build or another JDK gets a fresh one; every launch holds a
 * shared lock on its entry, and an entry nobody holds is deleted when another is
 * prepared.
 */
final class ExtractedJar implements AutoCloseable {

    private static final String LOCK_FILE = ".in-use";

    private static final String PARTIAL = ".partial-";

    /** Where the files of an entry are. */
    record Paths(Path directory) {

        Path applicationJar() {
            return directory.resolve("quartet.jar");
        }

        Path archive() {
            return directory.resolve("quartet.jsa");
        }

        boolean archiveExists() {
            return Files.isRegularFile(archive());
        }

        Path pendingArchive(long launcherPid) {
            return directory.resolve("quartet.jsa." + launcherPid + ".tmp");
        }
    }

    private final Paths paths;

    private final FileChannel lockChannel;

    private final FileLock lock;

    private ExtractedJar(Paths paths, FileChannel lockChannel, FileLock lock) {
        this.paths = paths;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    Paths paths() {
        return paths;
    }

    /**
     * The entry for {@code fatJar}, extracted now when this is its first run, locked for
     * this launch.
     */
    static ExtractedJar prepare(Path fatJar, Path cache, Path java, PrintStream out)
            throws IOException, InterruptedException {
        Files.createDirectories(cache);
        Path directory = cache.resolve(entryName(fatJar));
        Paths paths = new Paths(directory);
        if (!Files.isRegularFile(paths.applicationJar())) {
            out.println("Quartet: first start of this jar: extracting it to " + directory
                    + " so later starts are faster (once per build)");
            extract(fatJar, directory, java);
        }
        // A shared lock needs a channel open for reading.
        FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.lock(0, Long.MAX_VALUE, true);
        if (!Files.isRegularFile(paths.applicationJar())) {
            lock.release();
            channel.close();
            throw new IOException("another launch deleted " + directory + " while this one waited for it");
        }
        deleteUnusedEntries(cache, directory);
        return new ExtractedJar(paths, channel, lock);
    }

    /**
     * Moves the archive a Java 17 child wrote at exit into place; false when it wrote
     * none.
     */
    boolean publishArchive(long launcherPid) {
        Path pending = paths.pendingArchive(launcherPid);
        try {
            if (Files.size(pending) == 0) {
                Files.delete(pending);
                return false;
            }
            Files.move(pending, paths.archive(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return true;
        }
        catch (IOException e) {
            // none written (the JVM was killed), or another launch published first
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }

    /**
     * The jar's path, size and time stamp and the JVM's build: what makes an extraction
     * and an archive valid.
     */
    static String entryName(Path fatJar) throws IOException {
        String identity = String.join("\n", fatJar.toRealPath().toString(), Long.toString(Files.size(fatJar)),
                Long.toString(Files.getLastModifiedTime(fatJar).toMillis()), System.getProperty("java.home"),
                System.getProperty("java.vm.version"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Extracts into a private directory, then renames it into place: a concurrent first
     * start never sees half a jar.
     */
    private static void extract(Path fatJar, Path directory, Path java) throws IOException, InterruptedException {
        Path partial = directory.resolveSibling(directory.getFileName() + PARTIAL + ProcessHandle.current().pid());
        Path log = directory.resolveSibling(directory.getFileName() + ".extract.log");
        Process extraction = new ProcessBuilder(java.toString(), "-Djarmode=tools", "-jar", fatJar.toString(),
                "extract", "--destination", partial.toString(), "--application-filename", "quartet.jar", "--force")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        if (!extraction.waitFor(5, TimeUnit.MINUTES) || extraction.exitValue() != 0) {
            extraction.destroyForcibly();
            deleteTree(partial);
            throw new IOException("extracting the jar failed, see " + log);
        }
        Files.deleteIfExists(log);
        try {
            Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
            // another first start won the race; its extraction is the same
            deleteTree(partial);
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /**
     * Entries of other builds that no launch holds, and extractions whose launcher died,
     * are deleted.
     */
    private static void deleteUnusedEntries(Path cache, Path current) {
        List<Path> others;
        try (Stream<Path> entries = Files.list(cache)) {
            others = entries.filter(Files::isDirectory).filter(entry -> !entry.equals(current)).toList();
        }
        catch (IOException e) {
            return; // a cache we cannot list is left alone
        }
        for (Path entry : others) {
            String name = entry.getFileName().toString();
            int partial = name.indexOf(PARTIAL);
            if (partial >= 0) {
                String pid = name.substring(partial + PARTIAL.length());
                if (pid.chars().allMatch(Character::isDigit) && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    deleteTree(entry);
                }
            }
            else {
                deleteIfNoLaunchHolds(entry);
            }
        }
    }

    /**
     * Deleted under an exclusive lock: a launch of that build waiting for it finds it
     * gone and starts in-process.
     */
    private static void deleteIfNoLaunchHolds(Path entry) {
        try (FileChannel channel = FileChannel.open(entry.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock exclusive = channel.tryLock();
            if (exclusive != null) {
                deleteTree(entry);
            }
        }
        catch (IOException | OverlappingFileLockException e) {
            // Held or unreadable: left for a later preparation.
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException e) {
            // Best effort: a leftover is retried at the next preparation.
        }
    }

}
