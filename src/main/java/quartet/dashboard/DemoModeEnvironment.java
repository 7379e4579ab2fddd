package quartet.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * What demo mode changes in the configuration, before the context exists. The demo receiver is a
 * route of this app, so loopback must pass the webhooks SSRF guard: localhost and 127.0.0.1 are
 * added to whatever allow-list is configured, only in demo mode. Webhook retries back off in
 * seconds instead of half hours, unless configured otherwise, so a visitor sees them happen.
 */
public class DemoModeEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String ENABLED = "quartet.demo.enabled";
    private static final String ALLOW_LIST = "quartet.webhooks.allowed-private-hosts";
    private static final String OVERRIDES = "quartetDemoOverrides";
    private static final String DEFAULTS = "quartetDemoDefaults";

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(ENABLED, Boolean.class, true) || environment.getPropertySources().contains(OVERRIDES)) {
            return;
        }
        Binder binder = Binder.get(environment);
        Set<String> hosts = new LinkedHashSet<>(binder.bind(ALLOW_LIST, Bindable.listOf(String.class)).orElse(List.of()));
        hosts.add("localhost");
        hosts.add("127.0.0.1");
        Map<String, Object> overrides = new LinkedHashMap<>();
        List<String> list = new ArrayList<>(hosts);
        for (int i = 0; i < list.size(); i++) {
            overrides.put(ALLOW_LIST + "[" + i + "]", list.get(i));
        }
        environment.getPropertySources().addFirst(new MapPropertySource(OVERRIDES, overrides));
        // Lowest precedence: anything configured anywhere wins over these.
        environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS, Map.of(
                "quartet.webhooks.retry-base-delay", Duration.ofSeconds(2).toString(),
                "quartet.webhooks.retry-max-delay", Duration.ofSeconds(20).toString(),
                "quartet.webhooks.max-attempts", "5")));
    }
}
