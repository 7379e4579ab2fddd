package quartet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChildCommandTest {

    private static final Path JAVA = Path.of("/opt/jdk/bin/java");

    @TempDir
    Path entry;

    @ParameterizedTest(name = "{0} keeps Quartet in this JVM: {1}")
    @CsvSource({ "'-agentlib:jdwp=transport=dt_socket,server=y,address=5005', true",
            "-javaagent:/opt/otel.jar,                                      true",
            "-XX:SharedArchiveFile=/tmp/mine.jsa,                           true",
            "-XX:ArchiveClassesAtExit=/tmp/mine.jsa,                        true",
            "-Xshare:off,                                                   true",
            "-XX:AOTCache=app.aot,                                          true",
            "-Xmx512m,                                                      false",
            "-Dquartet.launcher.enabled=true,                               false", })
    void debuggersAgentsAndHandPickedArchivesStayWithTheJvmTheUserStarted(String option, boolean runHere) {
        assertThat(ChildCommand.optionToRunHere(List.of("-Dfile.encoding=UTF-8", option)).isPresent())
            .isEqualTo(runHere);
    }

    @Test
    void java17RecordsTheArchiveAtExitUnderThePendingNameTheLauncherPublishes() {
        ExtractedJar.Paths paths = new ExtractedJar.Paths(entry);

        List<String> command = ChildCommand.build(JAVA, 17, List.of("-Xmx512m"), paths, 4242, false,
                List.of("--server.port=9090"));

        assertThat(command).containsExactly("/opt/jdk/bin/java", "-Xmx512m",
                "-XX:ArchiveClassesAtExit=" + entry.resolve("quartet.jsa.4242.tmp"), "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off", "-Dquartet.launcher.parent-pid=4242", "-jar",
                entry.resolve("quartet.jar").toString(), "--server.port=9090");
    }

    @Test
    void java17UsesTheArchiveOnceItExists() throws Exception {
        ExtractedJar.Paths paths = new ExtractedJar.Paths(entry);
        Files.write(paths.archive(), new byte[] { 1 });

        List<String> command = ChildCommand.build(JAVA, 17, List.of(), paths, 4242, false, List.of());

        assertThat(command).contains("-XX:SharedArchiveFile=" + paths.archive())
            .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void newerJavaCreatesAndRefreshesTheArchiveItself() {
        ExtractedJar.Paths paths = new ExtractedJar.Paths(entry);

        List<String> command = ChildCommand.build(JAVA, 25, List.of(), paths, 4242, false, List.of());

        assertThat(command).contains("-XX:SharedArchiveFile=" + paths.archive(), "-XX:+AutoCreateSharedArchive")
            .noneMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void demoModeCompilesWithC1OnlyUnlessTheUsersOwnOptionComesLater() {
        ExtractedJar.Paths paths = new ExtractedJar.Paths(entry);

        List<String> demo = ChildCommand.build(JAVA, 17, List.of("-XX:TieredStopAtLevel=4"), paths, 4242, true,
                List.of());
        List<String> production = ChildCommand.build(JAVA, 17, List.of(), paths, 4242, false, List.of());

        assertThat(demo).containsSubsequence("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4");
        assertThat(production).noneMatch(option -> option.startsWith("-XX:TieredStopAtLevel"));
    }

}
