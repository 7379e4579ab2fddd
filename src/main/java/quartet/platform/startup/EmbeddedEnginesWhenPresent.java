package quartet.platform.startup;

import java.lang.reflect.Constructor;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.util.ClassUtils;

/**
 * Registered in {@code META-INF/spring.factories} in place of the embedded engines' own
 * post-processor, so that a build without the {@code quartet.embedded} package (Maven
 * profile {@code no-embedded-engines}) still starts: there it does nothing and every
 * service must be configured.
 */
public class EmbeddedEnginesWhenPresent implements EnvironmentPostProcessor, Ordered {

    static final String ENGINES = "quartet.embedded.EmbeddedEnginesEnvironmentPostProcessor";

    private final @Nullable EnvironmentPostProcessor engines;

    public EmbeddedEnginesWhenPresent(DeferredLogFactory logFactory) {
        this.engines = load(logFactory, EmbeddedEnginesWhenPresent.class.getClassLoader());
    }

    static @Nullable EnvironmentPostProcessor load(DeferredLogFactory logFactory, ClassLoader classLoader) {
        if (!ClassUtils.isPresent(ENGINES, classLoader)) {
            return null;
        }
        try {
            Constructor<?> constructor = ClassUtils.forName(ENGINES, classLoader)
                .getConstructor(DeferredLogFactory.class);
            return (EnvironmentPostProcessor) constructor.newInstance(logFactory);
        }
        catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + ENGINES, e);
        }
    }

    @Override
    public int getOrder() {
        // After application.yaml, profiles and the environment have been read.
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (engines != null) {
            engines.postProcessEnvironment(environment, application);
        }
    }

}
