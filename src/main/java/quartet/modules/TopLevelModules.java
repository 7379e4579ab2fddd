package quartet.modules;

import java.util.List;
import java.util.stream.Stream;

import org.springframework.modulith.core.ApplicationModuleDetectionStrategy;
import org.springframework.modulith.core.ApplicationModuleSource;
import org.springframework.modulith.core.ApplicationModuleSourceFactory;
import org.springframework.modulith.core.JavaPackage;

/**
 * Declares Quartet's four business modules and the shared {@code network} module (the
 * address classifier both the shortener and webhooks guard their outbound URLs with).
 * They are top-level packages rather than sub-packages of the application class, so
 * Spring Modulith's default detection cannot see them. Registered in
 * {@code META-INF/spring.factories}.
 */
public class TopLevelModules implements ApplicationModuleSourceFactory {

    /** The module base packages, in the order the docs list them. */
    public static final List<String> MODULES = List.of("payments", "webhooks", "shortener", "ratelimit", "network");

    @Override
    public List<String> getRootPackages() {
        // Without this, the classes of the modules are never imported and verify() passes
        // vacuously.
        return MODULES;
    }

    @Override
    public List<String> getModuleBasePackages() {
        return MODULES;
    }

    @Override
    public Stream<ApplicationModuleSource> getApplicationModuleSources(JavaPackage rootPackage,
            ApplicationModuleDetectionStrategy strategy, boolean fullyQualifiedModuleNames) {
        // Each root is itself a module; its sub-packages are internals, not modules of
        // their own.
        return Stream.empty();
    }

}
