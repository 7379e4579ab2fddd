package quartet.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The persistent data directory ({@code quartet.embedded.data-directory}) that the
 * embedded PostgreSQL and Kafka keep their data in, claimed by one Quartet at a time.
 * Each engine that writes there claims it before it starts and releases it when it stops;
 * within one JVM the claims are shared. A claim holds an OS lock on {@code quartet.lock}
 * (released by the OS even after {@code kill -9}, and atomic when two instances start at
 * once) and writes this JVM's pid to {@code quartet-owner.pid} for the message the next
 * one shows.
 */
final class DataDirectory {

    private static final String LOCK_FILE = "quartet.lock";

    private static final String OWNER_FILE = "quartet-owner.pid";

    /**
     * Written by Quartet versions that claimed only PostgreSQL's directory; one may still
     * be running.
     */
    private static final String POSTGRES_OWNER_FILE = "postgres.quartet-owner.pid";

    private static final Map<Path, Claim> CLAIMS = new HashMap<>();

    private record Claim(FileChannel channel, FileLock lock, int holders) {
    }

    private DataDirectory() {
    }

    /**
     * Claims {@code root} for this JVM, or fails with an "in use" message naming the
     * other Quartet.
     */
    static synchronized void claim(Path root) {
        Path key = root.toAbsolutePath().normalize();
        Claim held = CLAIMS.get(key);
        if (held != null) {
            CLAIMS.put(key, new Claim(held.channel(), held.lock(), held.holders() + 1));
            return;
        }
        try {
            Files.createDirectories(key);
            refuseIfOwnedByAnotherLiveQuartet(key);
            FileChannel channel = FileChannel.open(key.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw inUse(key, owner(key.resolve(OWNER_FILE)).map(String::valueOf).orElse("unknown"));
            }
            Files.writeString(key.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            CLAIMS.put(key, new Claim(channel, lock, 1));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Cannot claim the data directory " + key, e);
        }
    }

    /**
     * Gives up one claim; the last one in this JVM removes the owner file and the lock.
     */
    static synchronized void release(Path root) {
        Path key = root.toAbsolutePath().normalize();
        Claim held = CLAIMS.remove(key);
        if (held == null) {
            return;
        }
        if (held.holders() > 1) {
            CLAIMS.put(key, new Claim(held.channel(), held.lock(), held.holders() - 1));
            return;
        }
        try {
            Files.deleteIfExists(key.resolve(OWNER_FILE));
            held.lock().release();
            held.channel().close();
        }
        catch (IOException ignored) {
            // a stale owner file is harmless: the next start checks whether its pid is
            // alive
        }
    }

    private static void refuseIfOwnedByAnotherLiveQuartet(Path root) {
        long self = ProcessHandle.current().pid();
        for (String name : List.of(OWNER_FILE, POSTGRES_OWNER_FILE)) {
            Optional<Long> owner = owner(root.resolve(name));
            if (owner.isPresent() && owner.get() != self
                    && ProcessHandle.of(owner.get()).map(ProcessHandle::isAlive).orElse(false)) {
                throw inUse(root, owner.get().toString());
            }
        }
    }

    private static Optional<Long> owner(Path ownerFile) {
        return Files.exists(ownerFile) ? RunDirectory.OrphanProcess.readPid(ownerFile) : Optional.empty();
    }

    private static IllegalStateException inUse(Path root, String pid) {
        return new IllegalStateException("The embedded engines' data directory " + root
                + " (PostgreSQL and the Kafka log) is in use " + "by another Quartet (pid " + pid
                + "). Stop it, or start this one with " + "--quartet.embedded.data-directory=<another directory>.");
    }

}
