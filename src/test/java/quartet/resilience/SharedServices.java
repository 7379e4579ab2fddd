package quartet.resilience;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import quartet.embedded.EmbeddedEnginesEnvironmentPostProcessor;

/**
 * The PostgreSQL, Kafka, AMQP broker and Redis that the application processes of a
 * scenario share, owned by the test JVM so they outlive a killed child: the services the
 * environment configures (CI's SPRING_* variables), and embedded engines leased through
 * the application's own post-processor for the rest. Closing releases the lease.
 */
final class SharedServices implements AutoCloseable {

    private final StandardEnvironment environment = new StandardEnvironment();

    private final Map<String, Object> embedded = new LinkedHashMap<>();

    private final GenericApplicationContext leaseHolder = new GenericApplicationContext();

    private final Map<String, Object> scenarioServices;

    SharedServices() {
        this(Map.of());
    }

    /**
     * As the environment configures them, plus services the scenario runs itself (given
     * as connection properties, such as a proxied Kafka's bootstrap servers): none of
     * those is embedded.
     */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    SharedServices(Map<String, Object> scenarioServices) {
        this.scenarioServices = Map.copyOf(scenarioServices);
        environment.getPropertySources().addFirst(new MapPropertySource("scenarioServices", this.scenarioServices));
        SpringApplication application = new SpringApplication();
        DeferredLogFactory logs = destination -> destination.get();
        new EmbeddedEnginesEnvironmentPostProcessor(logs).postProcessEnvironment(environment, application);
        if (environment.getPropertySources()
            .get("quartetEmbeddedEngines") instanceof EnumerablePropertySource<?> source) {
            for (String name : source.getPropertyNames()) {
                if (!name.equals("quartet.embedded.services")) {
                    embedded.put(name, source.getProperty(name));
                }
            }
        }
        // The post-processor registers the lease with the initializers: a bare context
        // owns it.
        for (ApplicationContextInitializer initializer : application.getInitializers()) {
            initializer.initialize((ConfigurableApplicationContext) leaseHolder);
        }
        leaseHolder.refresh();
    }

    /**
     * Short takeover bounds for scenarios that kill a child: incomplete event
     * publications are found stale and resubmitted, and lost delivery jobs re-published,
     * within seconds instead of minutes.
     */
    static final List<String> QUICK_TAKEOVER = List.of("--quartet.events.resubmission.interval=1s",
            "--spring.modulith.events.staleness.check-intervall=1s", "--spring.modulith.events.staleness.published=3s",
            "--spring.modulith.events.staleness.processing=3s", "--spring.modulith.events.staleness.resubmission=3s",
            "--quartet.webhooks.request-timeout=2s", "--quartet.webhooks.republish-lost-after=3s");

    /**
     * Command-line arguments that point a child at these services (CI's variables it
     * inherits).
     */
    List<String> arguments() {
        List<String> arguments = new ArrayList<>();
        embedded.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        scenarioServices.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        arguments.add("--quartet.embedded.enabled=false");
        return arguments;
    }

    /**
     * A connection property as the children see it (an embedded engine's, or CI's
     * variable), or the fallback.
     */
    String property(String name, String fallback) {
        Object value = embedded.get(name);
        return value != null ? value.toString() : environment.getProperty(name, fallback);
    }

    JdbcClient jdbc() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(
                environment.getProperty("spring.datasource.url"),
                environment.getProperty("spring.datasource.username", "postgres"),
                environment.getProperty("spring.datasource.password", ""));
        return JdbcClient.create(dataSource);
    }

    @Override
    public void close() {
        leaseHolder.close();
    }

}
