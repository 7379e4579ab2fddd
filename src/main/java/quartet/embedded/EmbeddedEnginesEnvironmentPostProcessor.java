package quartet.embedded;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Before the context is built, starts a real embedded engine for every service whose
 * connection is not configured and points Spring's connection properties at it. The
 * engines start in the background while the context is built; {@link EngineReadiness}
 * makes their consumers wait. Configuring a service (for example
 * {@code SPRING_DATASOURCE_URL}) switches that service alone to the external one;
 * {@code quartet.services=local} means the machine's own PostgreSQL, Redis and RabbitMQ
 * on 127.0.0.1. Kafka is never installed, so it stays embedded unless its servers are
 * configured.
 */
public class EmbeddedEnginesEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE = "quartetEmbeddedEngines";

    private final Log log;

    public EmbeddedEnginesEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(EmbeddedEnginesEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        // After application.yaml, profiles and the environment have been read.
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(PROPERTY_SOURCE)) {
            return; // already done for this environment (e.g. a refresh of the same
                    // application)
        }
        Map<String, Object> properties = new LinkedHashMap<>(localServices(environment));
        Set<Service> embedded = EnumSet.noneOf(Service.class);
        for (Service service : Service.values()) {
            if (!service.isConfiguredIn(environment) && !properties.containsKey(service.connectionProperty())) {
                embedded.add(service);
            }
        }
        if (!environment.getProperty("quartet.embedded.enabled", Boolean.class, true)) {
            embedded.clear();
        }
        if (!embedded.isEmpty()) {
            var plan = new EmbeddedEngines.Plan(embedded, persistentDirectory(environment),
                    environment.getProperty(RedisEngine.FORCE_IN_PROCESS, Boolean.class, false));
            EmbeddedEngines.Lease lease = EmbeddedEngines.acquireStarting(plan, log);
            application.addListeners(new ReleaseOnFailedStart(lease));
            if (embedded.contains(Service.REDIS)) {
                // Fast, and which kind of Redis runs is read by beans created early.
                awaitOrRelease(lease, Service.REDIS);
            }
            properties.putAll(lease.properties());
            application.addInitializers(context -> {
                DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) context.getBeanFactory();
                // Registered before any bean, so destroyed after all of them (pools,
                // listener
                // containers and clients stop before their engines do).
                beanFactory.registerDisposableBean("quartetEmbeddedEngines", lease::close);
                EngineReadiness readiness = new EngineReadiness(lease, log);
                beanFactory.addBeanPostProcessor(readiness);
                // A definition, not a singleton: only definitions get the callback, in
                // registration order.
                beanFactory.registerBeanDefinition("quartetEmbeddedEnginesReady", new RootBeanDefinition(
                        SmartInitializingSingleton.class, () -> (SmartInitializingSingleton) readiness::awaitAll));
            });
        }
        properties.putIfAbsent("quartet.embedded.services", "");
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, properties));
    }

    private static void awaitOrRelease(EmbeddedEngines.Lease lease, Service service) {
        try {
            lease.await(service);
        }
        catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * A start that fails before the context exists never destroys its beans: release
     * here.
     */
    private record ReleaseOnFailedStart(
            EmbeddedEngines.Lease lease) implements ApplicationListener<ApplicationFailedEvent> {

        @Override
        public void onApplicationEvent(ApplicationFailedEvent event) {
            lease.close();
        }
    }

    private static Optional<Path> persistentDirectory(ConfigurableEnvironment environment) {
        String directory = environment.getProperty("quartet.embedded.data-directory");
        return StringUtils.hasText(directory) ? Optional.of(Path.of(directory)) : Optional.empty();
    }

    /**
     * The {@code quartet.services=local} switch: the services a Debian host runs by
     * default.
     */
    private static Map<String, Object> localServices(ConfigurableEnvironment environment) {
        if (!"local".equalsIgnoreCase(environment.getProperty("quartet.services", ""))) {
            return Map.of();
        }
        Map<String, Object> local = new LinkedHashMap<>();
        if (!Service.POSTGRESQL.isConfiguredIn(environment)) {
            local.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:5432/quartet");
            local.put("spring.datasource.username", environment.getProperty("spring.datasource.username", "postgres"));
        }
        if (!Service.REDIS.isConfiguredIn(environment)) {
            local.put("spring.data.redis.host", "127.0.0.1");
        }
        if (!Service.AMQP.isConfiguredIn(environment)) {
            local.put("spring.rabbitmq.host", "127.0.0.1");
        }
        return local;
    }

}
