package quartet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * deploy/grafana's dashboard against a running instance: every metric its queries name is
 * on /actuator/prometheus (admin only, like the rest of the actuator beyond health), and
 * the Kubernetes probes answer without a key.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class GrafanaDashboardTests {

    private static final Path DASHBOARD = Path.of("deploy", "grafana", "quartet-dashboard.json");

    private static final String ADMIN_KEY = "ops-test-key";

    private static final String CLIENT_KEY = "alice-test-key";

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @LocalServerPort
    int port;

    @Test
    void findsEveryMetricTheDashboardQueriesOnTheScrape() throws Exception {
        // Meters that exist from the first request on: a failed authentication, an API
        // call, a redirect.
        get("/api/links", "not-a-key");
        get("/api/links", CLIENT_KEY);
        get("/unknown-code-" + System.nanoTime(), null);

        HttpResponse<String> scrape = get("/actuator/prometheus", ADMIN_KEY);

        assertThat(scrape.statusCode()).isEqualTo(200);
        Set<String> scraped = sampleNames(scrape.body());
        Set<String> queried = dashboardMetrics();
        assertThat(queried).hasSizeGreaterThan(15);
        assertThat(scraped).containsAll(queried);
    }

    @Test
    void countsAnUnknownCodeAsANotFoundRedirect() throws Exception {
        double before = sample(get("/actuator/prometheus", ADMIN_KEY).body(),
                "quartet_shortener_redirects_total{outcome=\"not_found\"");

        assertThat(get("/unknown-code-" + System.nanoTime(), null).statusCode()).isEqualTo(404);

        double after = sample(get("/actuator/prometheus", ADMIN_KEY).body(),
                "quartet_shortener_redirects_total{outcome=\"not_found\"");
        assertThat(after).isEqualTo(before + 1);
    }

    @Test
    void servesTheScrapeToAdminsOnly() throws Exception {
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        assertThat(get("/actuator/prometheus", CLIENT_KEY).statusCode()).isEqualTo(403);
    }

    @Test
    void answersTheKubernetesProbesWithoutAKey() throws Exception {
        for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
            HttpResponse<String> response = get(probe, null);

            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).contains("\"UP\"");
        }
    }

    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(expr -> expressions.add(expr.asText()));
        assertThat(expressions).isNotEmpty();
        Set<String> names = new TreeSet<>();
        expressions.forEach(expression -> names.addAll(PromQlMetricNames.of(expression)));
        return names;
    }

    /** The names of the samples in a Prometheus text exposition (comments skipped). */
    private static Set<String> sampleNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines()
            .filter(line -> !line.isBlank() && !line.startsWith("#"))
            .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static double sample(String exposition, String prefix) {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^}]*} (\\S+)").matcher(exposition);
        assertThat(value.find()).as(prefix).isTrue();
        return Double.parseDouble(value.group(1));
    }

    private HttpResponse<String> get(String path, String apiKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

}
