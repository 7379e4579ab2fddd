package quartet.platform.startup;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.stereotype.Component;

/**
 * Once the application is ready, prints where to go: the dashboard, Swagger UI, the
 * module docs, health, FlowPay's gRPC port, which services run embedded, and how long the
 * start took. The demo API key is printed only in demo mode and only while it is still
 * configured; no other key is ever printed.
 */
@Component
class StartBanner implements ApplicationListener<ApplicationReadyEvent> {

    static final String DEMO_KEY = "demo-key-change-me";

    private static final Log log = LogFactory.getLog(StartBanner.class);

    private static final List<String> SERVICES = List.of("postgresql", "kafka", "amqp", "redis");

    private final ObjectProvider<GrpcServerLifecycle> grpcServer;

    StartBanner(ObjectProvider<GrpcServerLifecycle> grpcServer) {
        this.grpcServer = grpcServer;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext web && web.getWebServer() != null) {
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
            GrpcServerLifecycle grpc = grpcServer.getIfAvailable();
            int grpcPort = grpc == null ? 0 : grpc.getPort();
            log.info(text(event.getApplicationContext().getEnvironment(), web.getWebServer().getPort(), grpcPort,
                    uptime));
        }
    }

    /**
     * @param grpcPort the gRPC server's port; 0 when none runs
     */
    static String text(Environment environment, int port, int grpcPort, long uptimeMillis) {
        String base = "http://localhost:" + port + environment.getProperty("server.servlet.context-path", "");
        StringBuilder text = new StringBuilder("\n\n")
            .append(String.format(Locale.ROOT, "  Quartet is ready (%.1f s after the JVM started)%n%n",
                    uptimeMillis / 1000.0))
            .append(line("Dashboard", base + "/"))
            .append(line("Swagger UI", base + "/swagger-ui.html"))
            .append(line("Module docs", base + "/docs"))
            .append(line("Health", base + "/actuator/health"));
        if (grpcPort > 0) {
            text.append(line("gRPC",
                    "localhost:" + grpcPort + "  (FlowPay, quartet.payments.v1; reflection on, plaintext)"));
        }
        if (environment.getProperty("quartet.demo.enabled", Boolean.class, true) && demoKeyConfigured(environment)) {
            text.append(line("Demo API key", DEMO_KEY + "  (header X-API-Key; demo mode, never for production)"));
        }
        text.append(line("Services", services(environment)))
            .append("\n  Ctrl-C stops Quartet and every engine it started.\n");
        return text.toString();
    }

    private static String line(String label, String value) {
        return String.format(Locale.ROOT, "  %-13s %s%n", label, value);
    }

    private static boolean demoKeyConfigured(Environment environment) {
        List<String> keys = Binder.get(environment)
            .bind("quartet.platform.api-keys", Bindable.listOf(String.class))
            .orElse(List.of());
        // An entry is either a key or client=key.
        return keys.stream().map(entry -> entry.substring(entry.indexOf('=') + 1).trim()).anyMatch(DEMO_KEY::equals);
    }

    private static String services(Environment environment) {
        Set<String> embedded = Arrays.stream(environment.getProperty("quartet.embedded.services", "").split(","))
            .map(String::trim)
            .collect(Collectors.toSet());
        boolean inProcessRedis = "in-process".equals(environment.getProperty("quartet.embedded.redis.kind"));
        return SERVICES.stream()
            .map(service -> service + " "
                    + (!embedded.contains(service) ? "external"
                            : "redis".equals(service) && inProcessRedis ? "embedded (in-process)" : "embedded"))
            .collect(Collectors.joining(", "));
    }

}
