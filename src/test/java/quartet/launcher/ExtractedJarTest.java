package quartet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtractedJarTest {

    @TempDir
    Path directory;

    @Test
    void aRebuiltJarGetsANewEntryAndTheSameJarTheSameOne() throws Exception {
        Path jar = Files.write(directory.resolve("quartet.jar"), new byte[] { 1, 2, 3 });
        String first = ExtractedJar.entryName(jar);

        assertThat(ExtractedJar.entryName(jar)).isEqualTo(first);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 1000));
        assertThat(ExtractedJar.entryName(jar)).isNotEqualTo(first).matches("[0-9a-f]{16}");
    }

    @Test
    void publishesAWrittenArchiveAndIgnoresAnEmptyOrMissingOne() throws Exception {
        Path jar = Files.write(directory.resolve("built.jar"), new byte[] { 1 });
        // An entry prepared by hand: the application jar exists, so nothing is extracted.
        Path cache = directory.resolve("cache");
        Path entry = cache.resolve(ExtractedJar.entryName(jar));
        Files.createDirectories(entry);
        Files.write(entry.resolve("quartet.jar"), new byte[] { 1 });

        try (ExtractedJar extracted = ExtractedJar.prepare(jar, cache, Path.of("java"), System.out)) {
            assertThat(extracted.publishArchive(7)).as("nothing written").isFalse();
            Files.write(extracted.paths().pendingArchive(7), new byte[0]);
            assertThat(extracted.publishArchive(7)).as("an empty file").isFalse();
            Files.write(extracted.paths().pendingArchive(7), new byte[] { 42 });
            assertThat(extracted.publishArchive(7)).isTrue();
            assertThat(extracted.paths().archiveExists()).isTrue();
            assertThat(extracted.paths().pendingArchive(7)).doesNotExist();
        }
    }

    @Test
    void deletesEntriesNoLaunchHoldsAndKeepsItsOwn() throws Exception {
        Path jar = Files.write(directory.resolve("built.jar"), new byte[] { 1 });
        Path cache = directory.resolve("cache");
        Path entry = cache.resolve(ExtractedJar.entryName(jar));
        Files.createDirectories(entry);
        Files.write(entry.resolve("quartet.jar"), new byte[] { 1 });
        Path oldBuild = Files.createDirectories(cache.resolve("0123456789abcdef").resolve("lib"));
        Path deadExtraction = Files.createDirectories(cache.resolve("fedcba9876543210.partial-" + Long.MAX_VALUE));

        try (ExtractedJar extracted = ExtractedJar.prepare(jar, cache, Path.of("java"), System.out)) {
            assertThat(entry.resolve("quartet.jar")).exists();
            assertThat(oldBuild.getParent()).doesNotExist();
            assertThat(deadExtraction).doesNotExist();
        }
    }

}
