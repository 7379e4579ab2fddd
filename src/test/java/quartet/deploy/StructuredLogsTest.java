package quartet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;

/**
 * The Kubernetes base switches the console to Spring Boot's structured logging: the
 * format its ConfigMap names turns a log event into one JSON object on one line, which a
 * cluster's log collector reads without a parsing rule.
 */
class StructuredLogsTest {

    @Test
    void writesEachEventAsOneJsonLineInTheFormatTheBaseConfigures() throws Exception {
        String format = baseConfig().path("LOGGING_STRUCTURED_FORMAT_CONSOLE").asText();
        assertThat(format).isNotEmpty();

        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .addFirst(new MapPropertySource("test", Map.of("spring.application.name", "quartet")));
        context.putObject(Environment.class.getName(), environment);
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();

        LoggingEvent event = new LoggingEvent(getClass().getName(), context.getLogger("payments.processing"),
                Level.WARN, "payment {} failed", null, new Object[] { "p-1" });
        // What Micrometer Tracing puts in the MDC of every line logged inside a span.
        event.setMDCPropertyMap(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "spanId", "00f067aa0ba902b7"));
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("message").asText()).isEqualTo("payment p-1 failed");
        assertThat(json.path("log").path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("log").path("logger").asText()).isEqualTo("payments.processing");
        assertThat(json.path("service").path("name").asText()).isEqualTo("quartet");
        assertThat(json.has("@timestamp")).isTrue();
        assertThat(json.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.path("spanId").asText()).isEqualTo("00f067aa0ba902b7");
    }

    private static JsonNode baseConfig() {
        List<JsonNode> objects = ManifestSchemas.objects(Kustomize.build(Path.of("deploy", "kubernetes", "base")));
        return objects.stream()
            .filter(object -> object.path("kind").asText().equals("ConfigMap"))
            .findFirst()
            .orElseThrow()
            .path("data");
    }

}
