package quartet.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The platform around the modules, over real HTTP against the real engines: health of
 * every service (in detail for an admin only), API keys, and RFC 9457 problem details for
 * every kind of bad request.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class PlatformIntegrationTests {

    private static final String API_KEY = "demo-key-change-me";

    /** ops is the suite's admin client; demo is not one in the tests. */
    private static final String ADMIN_KEY = "ops-test-key";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Test
    void reportsEveryServiceUpAndWhetherItIsEmbeddedToAnAdmin() throws Exception {
        HttpResponse<String> response = send(
                HttpRequest.newBuilder(uri("/actuator/health")).header("X-API-Key", ADMIN_KEY).GET().build());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode health = json.readTree(response.body());
        assertThat(health.path("status").asString()).isEqualTo("UP");
        JsonNode components = health.path("components");
        for (String component : new String[] { "db", "redis", "rabbit", "kafka", "services" }) {
            assertThat(components.path(component).path("status").asString()).as(component).isEqualTo("UP");
        }
        assertThat(components.path("services").path("details").path("kafka").asString()).isEqualTo("embedded");
        assertThat(components.path("services").path("details").path("postgresql").asString()).isIn("embedded",
                "external");
    }

    @Test
    void answersHealthWithTheStatusAloneWithoutAnAdminKey() throws Exception {
        for (HttpRequest request : List.of(get("/actuator/health"),
                HttpRequest.newBuilder(uri("/actuator/health")).header("X-API-Key", API_KEY).GET().build())) {
            HttpResponse<String> response = send(request);

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode health = json.readTree(response.body());
            // The probe group names (liveness, readiness) may show; no component, no
            // detail.
            assertThat(health.propertyNames()).contains("status").isSubsetOf("status", "groups");
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(response.body()).doesNotContain("embedded", "disk", "version");
        }
    }

    @Test
    void refusesTheApiWithoutAKeyAsProblemJson() throws Exception {
        HttpResponse<String> response = send(post("/api/test/echo", "{\"name\":\"x\",\"times\":1}").build());

        assertProblem(response, 401);
        assertThat(response.headers().firstValue("WWW-Authenticate"))
            .hasValueSatisfying(v -> assertThat(v).startsWith("ApiKey"));
    }

    @Test
    void refusesAWrongKey() throws Exception {
        HttpResponse<String> response = send(
                post("/api/test/echo", "{\"name\":\"x\",\"times\":1}").header("X-API-Key", "nope").build());

        assertProblem(response, 401);
    }

    @Test
    void acceptsAValidKey() throws Exception {
        HttpResponse<String> response = send(withKey(post("/api/test/echo", "{\"name\":\"x\",\"times\":2}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).path("times").asInt()).isEqualTo(2);
    }

    @Test
    void explainsValidationErrorsFieldByField() throws Exception {
        HttpResponse<String> response = send(withKey(post("/api/test/echo", "{\"name\":\"\",\"times\":0}")));

        JsonNode problem = assertProblem(response, 400);
        assertThat(problem.path("errors").valueStream().map(e -> e.path("field").asString()))
            .containsExactlyInAnyOrder("name", "times");
    }

    @Test
    void refusesMalformedJson() throws Exception {
        assertProblem(send(withKey(post("/api/test/echo", "{\"name\": "))), 400);
    }

    @Test
    void answersAnUnknownRouteWith404() throws Exception {
        assertProblem(
                send(HttpRequest.newBuilder(uri("/api/no-such-thing")).header("X-API-Key", API_KEY).GET().build()),
                404);
    }

    @Test
    void answersAWrongMethodWith405() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri("/api/test/echo")).header("X-API-Key", API_KEY).DELETE().build()),
                405);
    }

    @Test
    void refusesAnOversizedBodyWith413() throws Exception {
        String huge = "{\"name\":\"" + "x".repeat(1_100_000) + "\",\"times\":1}";

        assertProblem(send(withKey(post("/api/test/echo", huge))), 413);
    }

    @Test
    void servesTheOpenApiDocumentAndPrometheusMetrics() throws Exception {
        assertThat(send(get("/v3/api-docs")).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = send(
                HttpRequest.newBuilder(uri("/actuator/prometheus")).header("X-API-Key", "ops-test-key").build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        // Metrics span every client: an ordinary client's key is refused.
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/prometheus")).header("X-API-Key", API_KEY).build())
            .statusCode()).isEqualTo(403);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asString()).isNotBlank();
        return problem;
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, BodyHandlers.ofString());
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(uri(path)).GET().build();
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body));
    }

    private HttpRequest withKey(HttpRequest.Builder builder) {
        return builder.header("X-API-Key", API_KEY).build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

}
