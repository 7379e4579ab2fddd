package quartet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LaunchSettingsTest {

    private static LaunchSettings settings(List<String> arguments, Map<String, String> properties,
            Map<String, String> environment) {
        Properties system = new Properties();
        system.setProperty("user.home", "/home/demo");
        system.putAll(properties);
        return new LaunchSettings(arguments, system, environment);
    }

    @ParameterizedTest(name = "argument {0}, property {1}, variable {2}: enabled {3}")
    @CsvSource(nullValues = "-",
            value = { "-,                               -,     -,     true",
                    "--quartet.launcher.enabled=false, -,     -,     false",
                    "--quartet.launcher.enabled=true,  false, false, true",
                    "-,                               FALSE, -,     false",
                    "-,                               -,     false, false",
                    "-,                               true,  false, true", })
    void theCommandLineWinsOverSystemPropertiesWhichWinOverTheEnvironment(String argument, String property,
            String variable, boolean enabled) {
        LaunchSettings settings = settings(argument == null ? List.of() : List.of(argument),
                property == null ? Map.of() : Map.of("quartet.launcher.enabled", property),
                variable == null ? Map.of() : Map.of("QUARTET_LAUNCHER_ENABLED", variable));

        assertThat(settings.enabled()).isEqualTo(enabled);
    }

    @ParameterizedTest(name = "data directory ''{0}'' -> cache {1}")
    @CsvSource(nullValues = "-", value = { "-,                        /home/demo/.quartet/launcher",
            "/srv/quartet,             /srv/quartet/launcher", "'',                       /home/demo/.quartet/launcher",
            "${user.home}/demo-data,   /home/demo/demo-data/launcher", })
    void theCacheLivesBesideTheEmbeddedDataAndFallsBackToTheHomeDirectory(String dataDirectory, String cache) {
        LaunchSettings settings = settings(
                dataDirectory == null ? List.of() : List.of("--quartet.embedded.data-directory=" + dataDirectory),
                Map.of(), Map.of());

        assertThat(settings.cacheDirectory()).isEqualTo(Path.of(cache));
    }

    @Test
    void readsTheDataDirectoryFromSpringsRelaxedEnvironmentVariable() {
        LaunchSettings settings = settings(List.of(), Map.of(),
                Map.of("QUARTET_EMBEDDED_DATADIRECTORY", "/var/lib/quartet"));

        assertThat(settings.cacheDirectory()).isEqualTo(Path.of("/var/lib/quartet/launcher"));
    }

    @ParameterizedTest(name = "variable QUARTET_DEMO_ENABLED={0}: demo {1}")
    @CsvSource(nullValues = "-", value = { "-, true", "false, false", "true, true" })
    void demoModeIsOnUnlessSwitchedOff(String variable, boolean demo) {
        LaunchSettings settings = settings(List.of(), Map.of(),
                variable == null ? Map.of() : Map.of("QUARTET_DEMO_ENABLED", variable));

        assertThat(settings.demo()).isEqualTo(demo);
    }

}
