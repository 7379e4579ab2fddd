package quartet.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the launcher reads before Spring exists: a setting from the command line
 * ({@code --name=value}), a system property or the environment, in Spring's order of
 * precedence.
 */
record LaunchSettings(List<String> arguments, Properties systemProperties, Map<String, String> environment) {

    static final String ENABLED = "quartet.launcher.enabled";
    static final String DATA_DIRECTORY = "quartet.embedded.data-directory";
    static final String DEMO = "quartet.demo.enabled";

    /**
     * Set on the JVM the launcher starts: the launcher's pid, which the child outlives by
     * no more than a moment.
     */
    static final String PARENT_PID = "quartet.launcher.parent-pid";

    static LaunchSettings current(String[] arguments) {
        return new LaunchSettings(List.of(arguments), System.getProperties(), System.getenv());
    }

    Optional<String> get(String name) {
        String prefix = "--" + name + "=";
        for (String argument : arguments) {
            if (argument.startsWith(prefix)) {
                return Optional.of(argument.substring(prefix.length()));
            }
        }
        String property = systemProperties.getProperty(name);
        if (property != null) {
            return Optional.of(property);
        }
        // Spring's relaxed binding: quartet.embedded.data-directory is
        // QUARTET_EMBEDDED_DATADIRECTORY.
        String variable = name.toUpperCase(java.util.Locale.ROOT).replace(".", "_").replace("-", "");
        return Optional.ofNullable(environment.get(variable));
    }

    boolean enabled() {
        return !isFalse(ENABLED);
    }

    /** Demo mode, on unless switched off, as in application.yaml. */
    boolean demo() {
        return !isFalse(DEMO);
    }

    private boolean isFalse(String name) {
        return get(name).map(String::trim).filter("false"::equalsIgnoreCase).isPresent();
    }

    /**
     * Beside the embedded PostgreSQL data, or under the user's home when that is a temp
     * directory.
     */
    Path cacheDirectory() {
        String home = systemProperties.getProperty("user.home");
        return get(DATA_DIRECTORY).map(String::trim)
            .filter(value -> !value.isEmpty())
            .map(directory -> Path.of(directory.replace("${user.home}", home)))
            .orElseGet(() -> Path.of(home, ".quartet"))
            .resolve("launcher");
    }
}
