package quartet.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The form of bad input's answers: header values that are UTF-8 text, chunked bodies
 * above the limit, and the problems themselves (a documented type and code, no null
 * members).
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ProblemFormTests {

    private static final String API_KEY = "demo-key-change-me";

    private static final String ORDER = "{\"customerReference\":\"form\",\"currency\":\"EUR\",\"items\":[{\"description\":\"thing\",\"quantity\":1,\"unitPrice\":250}]}";

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private String code;

    private String order;

    @BeforeEach
    void seed() throws Exception {
        code = json
            .readTree(send("POST", "/api/links", "{\"targetUrl\":\"https://example.org/form\"}", Map.of()).body())
            .path("code")
            .asString();
        order = json.readTree(send("POST", "/api/orders", ORDER, Map.of()).body()).path("id").asString();
    }

    @Test
    void headerValuesInUtf8AreIgnoredWhereInformativeAndRefusedWhereTheyMatterNeverA500(CapturedOutput output)
            throws Exception {
        int logged = output.getAll().length();
        RawHttp.Answer redirect = RawHttp.send(port,
                "GET /" + code
                        + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ключ\r\nReferer: http://пример.рф/путь\r\n",
                null);
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).isEqualTo("https://example.org/form");

        String payment = "{\"orderId\":\"" + order
                + "\",\"amount\":250,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}";
        RawHttp.Answer key = RawHttp.send(port,
                "POST /api/payments HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + API_KEY
                        + "\r\nIdempotency-Key: ключ\r\nContent-Type: application/json\r\nContent-Length: "
                        + payment.length() + "\r\n",
                payment.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertProblem(key, 400);
        assertThat(key.body()).contains("Idempotency-Key");

        RawHttp.Answer apiKey = RawHttp.send(port, "GET /api/orders HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ключ\r\n",
                null);
        assertProblem(apiKey, 401);

        String since = output.getAll().substring(logged);
        assertThat(since).doesNotContain(" ERROR ").doesNotContain("RequestRejectedException");
        assertThat(json.readTree(send("GET", "/api/orders/" + order, null, Map.of()).body()).path("status").asString())
            .isEqualTo("CREATED");
    }

    @Test
    void aChunkedBodyAboveTheLimitIs413OnEveryRouteAndChangesNothing() throws Exception {
        for (String route : List.of("/api/webhooks/messages", "/api/orders", "/api/orders/" + order + "/cancel",
                "/api/links")) {
            RawHttp.Answer answer = RawHttp.send(port,
                    "POST " + route + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + API_KEY
                            + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                    RawHttp.chunked(1_200_000));
            assertProblem(answer, 413);
        }
        assertThat(json.readTree(send("GET", "/api/orders/" + order, null, Map.of()).body()).path("status").asString())
            .isEqualTo("CREATED");

        RawHttp.Answer small = RawHttp.send(port,
                "POST /api/orders HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + API_KEY
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n",
                RawHttp.chunked(ORDER));
        assertThat(small.status()).as(small.body()).isEqualTo(201);
    }

    @Test
    void everyProblemHasADocumentedTypeAndCodeAndNoNullMembers() throws Exception {
        String payment = "{\"orderId\":\"" + order
                + "\",\"amount\":250,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}";
        String reused = UUID.randomUUID().toString();
        send("POST", "/api/payments", payment, Map.of("Idempotency-Key", reused));
        List<HttpResponse<String>> problems = new ArrayList<>(List.of(
                send("GET", "/api/orders/" + UUID.randomUUID(), null, Map.of()),
                send("GET", "/api/orders", null, Map.of("X-API-Key", "wrong")),
                send("DELETE", "/api/orders", null, Map.of()), send("POST", "/api/orders", "{", Map.of()),
                send("POST", "/api/orders", ORDER.replace("\"quantity\":1", "\"quantity\":1.5"), Map.of()),
                send("POST", "/api/orders", ORDER.replace("\"EUR\"", "\"euro\""), Map.of()),
                send("POST", "/api/payments", payment.replace("250", "251"), Map.of("Idempotency-Key", reused)),
                send("POST", "/api/payments/dead-letters/" + UUID.randomUUID() + "/requeue", null, Map.of()),
                send("POST", "/api/webhooks/endpoints",
                        "{\"url\":\"http://example.com:0/hook\",\"eventTypes\":[\"a.b\"]}", Map.of()),
                send("POST", "/api/webhooks/endpoints",
                        "{\"url\":\"http://example.com:65536/hook\",\"eventTypes\":[\"a.b\"]}", Map.of()),
                send("GET", "/problems/no-such-problem", null, Map.of()), send("GET", "/error", null, Map.of())));
        assertThat(problems).extracting(HttpResponse::statusCode)
            .containsExactly(404, 401, 405, 400, 400, 400, 422, 404, 400, 400, 404, 404);
        assertThat(json.readTree(problems.get(4).body()).path("code").asString()).isEqualTo("invalid-field");
        assertThat(json.readTree(problems.get(6).body()).path("code").asString()).isEqualTo("idempotency-key-reused");

        String page = send("GET", "/problems", null, Map.of()).body();
        for (HttpResponse<String> problem : problems) {
            JsonNode body = json.readTree(problem.body());
            String described = problem.request().method() + " " + problem.request().uri() + " -> " + problem.body();
            assertThat(problem.headers().firstValue("Content-Type").orElse("")).as(described)
                .startsWith("application/problem+json");
            assertThat(body.path("type").asString()).as(described)
                .isEqualTo("/problems/" + body.path("code").asString());
            assertThat(page).as(described).contains("id=\"" + body.path("code").asString() + "\"");
            assertThat(nullMembers(body)).as(described).isEmpty();
        }
        HttpResponse<String> documented = send("GET", "/problems/idempotency-key-reused", null, Map.of());
        assertThat(documented.statusCode()).isEqualTo(303);
        assertThat(documented.headers().firstValue("Location")).contains("/problems#idempotency-key-reused");
    }

    private void assertProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        JsonNode body = json.readTree(answer.body());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("type").asString()).startsWith("/problems/");
        assertThat(nullMembers(body)).isEmpty();
    }

    private static List<String> nullMembers(JsonNode node) {
        List<String> found = new ArrayList<>();
        node.properties().forEach(member -> {
            if (member.getValue().isNull()) {
                found.add(member.getKey());
            }
            found.addAll(nullMembers(member.getValue()));
        });
        for (JsonNode element : node.isArray() ? node : List.<JsonNode>of()) {
            found.addAll(nullMembers(element));
        }
        return found;
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("X-API-Key", headers.getOrDefault("X-API-Key", API_KEY))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach((name, value) -> {
            if (!name.equals("X-API-Key")) {
                request.header(name, value);
            }
        });
        return http.send(request.build(), BodyHandlers.ofString());
    }

}
