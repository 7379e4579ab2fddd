package quartet.dashboard;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What demo mode changes in the configuration, before the context exists: webhook retries
 * back off in seconds instead of half hours, unless configured otherwise, so a visitor
 * sees them happen. The demo receiver is a route of this app, but loopback stays closed
 * to webhooks: only the receiver's own URL passes the SSRF guard
 * ({@link DemoReceiverDestination}), so nobody can register the app's actuator or another
 * local port and read its answers back.
 */
public class DemoModeEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String ENABLED = "quartet.demo.enabled";

    private static final String DEFAULTS = "quartetDemoDefaults";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(ENABLED, Boolean.class, true)
                || environment.getPropertySources().contains(DEFAULTS)) {
            return;
        }
        // Lowest precedence: anything configured anywhere wins over these.
        environment.getPropertySources()
            .addLast(new MapPropertySource(DEFAULTS,
                    Map.of("quartet.webhooks.retry-base-delay", Duration.ofSeconds(2).toString(),
                            "quartet.webhooks.retry-max-delay", Duration.ofSeconds(20).toString(),
                            "quartet.webhooks.max-attempts", "5")));
    }

}
