package quartet.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File helpers shared by the embedded engines. */
final class WorkDirs {

    /** Swallows tool output that would otherwise go to stdout. */
    static final PrintStream NULL_PRINT_STREAM = new PrintStream(OutputStream.nullOutputStream());

    private WorkDirs() {
    }

    /** Deletes {@code dir} and everything below it; a missing directory is fine. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            // Children before parents.
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not delete " + dir, ex);
        }
    }

    /**
     * Deletes {@code dir} after a failed start, recording a failure on {@code cause}
     * instead of masking it.
     */
    static void deleteAfterFailure(Path dir, Throwable cause) {
        try {
            delete(dir);
        }
        catch (RuntimeException ex) {
            cause.addSuppressed(ex);
        }
    }

}
