package quartet.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every integer field of every module's API takes JSON integers only: a fraction, an
 * exponent, a quoted number, a boolean, an array or object, a null for a required count,
 * and a number beyond the field's range are each a 400 problem naming the field, and
 * nothing is stored. Each route's valid body is sent first, so the refusals are about the
 * one value changed.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StrictNumbersTests {

    private static final String API_KEY = "demo-key-change-me";

    /**
     * One integer field: where it is sent, a valid body with {@code @V@} in its place,
     * and its width.
     */
    record IntegerField(String method, String path, String template, String field, boolean required, boolean isInt) {

        String body(String value) {
            return template.replace("@V@", value);
        }
    }

    private static final List<String> NOT_INTEGERS = List.of("12.99", "12.0", "1.2e1", "1E2", "-0.0", "\"12\"", "\"\"",
            "true", "false", "[12]", "{\"value\":12}");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcClient jdbc;

    private String order;

    private String code;

    private String endpoint;

    @BeforeEach
    void seed() throws Exception {
        order = id(send("POST", "/api/orders", order("1", "250")), "id");
        code = id(send("POST", "/api/links", "{\"targetUrl\":\"https://example.org/strict\"}"), "code");
        endpoint = id(send("POST", "/api/webhooks/endpoints",
                "{\"url\":\"http://127.0.0.1:9/strict\",\"eventTypes\":[\"strict.only\"]}"), "id");
    }

    private List<IntegerField> fields() {
        String payment = "{\"orderId\":\"" + order
                + "\",\"amount\":@V@,\"currency\":\"EUR\",\"paymentMethod\":\"pm_card_visa\"}";
        return List.of(new IntegerField("POST", "/api/orders", order("@V@", "250"), "items[0].quantity", true, true),
                new IntegerField("POST", "/api/orders", order("1", "@V@"), "items[0].unitPrice", true, false),
                new IntegerField("POST", "/api/payments", payment, "amount", true, false),
                new IntegerField("POST", "/api/payments/" + UUID.randomUUID() + "/refunds",
                        "{\"amount\":@V@,\"currency\":\"EUR\",\"reason\":\"strict\"}", "amount", true, false),
                new IntegerField("POST", "/api/links", "{\"targetUrl\":\"https://example.org/n\",\"maxClicks\":@V@}",
                        "maxClicks", false, false),
                new IntegerField("PATCH", "/api/links/" + code, "{\"maxClicks\":@V@}", "maxClicks", false, false),
                new IntegerField("POST", "/api/webhooks/endpoints",
                        "{\"url\":\"http://127.0.0.1:9/n\",\"eventTypes\":[\"strict.only\"],\"rateLimitPerSecond\":@V@}",
                        "rateLimitPerSecond", false, true),
                new IntegerField("PATCH", "/api/webhooks/endpoints/" + endpoint, "{\"rateLimitPerSecond\":@V@}",
                        "rateLimitPerSecond", false, true));
    }

    @Test
    @Order(1)
    void everyIntegerFieldRefusesAnythingButAJsonIntegerInRangeNamingTheField() throws Exception {
        RowCounts rows = new RowCounts(jdbc);
        Map<String, Long> before = quiet(rows);
        List<String> failures = new ArrayList<>();
        for (IntegerField field : fields()) {
            List<String> refused = new ArrayList<>(NOT_INTEGERS);
            refused.add(field.isInt() ? "2147483648" : "9223372036854775808");
            refused.add(field.isInt() ? "-2147483649" : "-9223372036854775809");
            if (field.required()) {
                refused.add("null");
            }
            for (String value : refused) {
                HttpResponse<String> response = send(field.method(), field.path(), field.body(value));
                String seen = field.method() + " " + field.path() + " " + field.field() + "=" + value + " -> "
                        + response.statusCode() + " " + response.body();
                if (response.statusCode() != 400 || !response.headers()
                    .firstValue("Content-Type")
                    .orElse("")
                    .startsWith("application/problem+json") || !namesField(response, field.field())) {
                    failures.add(seen);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(RowCounts.differences(before, rows.snapshot())).isEmpty();
    }

    /** Last: the accepted payment goes on working in the background. */
    @Test
    @Order(3)
    void theSameBodiesWithAJsonIntegerAreAccepted() throws Exception {
        for (IntegerField field : fields()) {
            if (field.path().contains("/refunds")) {
                // the payment is made up: binding passes, the lookup answers 404
                continue;
            }
            String value = field.path().equals("/api/payments") ? "250" : "2";
            HttpResponse<String> response = send(field.method(), field.path(), field.body(value));
            assertThat(response.statusCode()).as(field + " " + response.body()).isBetween(200, 299);
        }
        HttpResponse<String> refund = send("POST", "/api/payments/" + UUID.randomUUID() + "/refunds",
                "{\"amount\":1,\"currency\":\"EUR\",\"reason\":\"strict\"}");
        assertThat(refund.statusCode()).as(refund.body()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void aNullItemAndAnOverflowingTotalAreRefusedAsBadInput() throws Exception {
        RowCounts rows = new RowCounts(jdbc);
        Map<String, Long> before = quiet(rows);
        HttpResponse<String> nullItem = send("POST", "/api/orders",
                "{\"customerReference\":\"strict\",\"currency\":\"EUR\",\"items\":[null]}");
        assertThat(nullItem.statusCode()).as(nullItem.body()).isEqualTo(400);
        assertThat(namesField(nullItem, "items[0]")).as(nullItem.body()).isTrue();

        // 10 000 x 10^15 overflows a long; each factor is in range.
        HttpResponse<String> overflow = send("POST", "/api/orders", order("10000", "1000000000000000"));
        assertThat(overflow.statusCode()).as(overflow.body()).isEqualTo(400);
        assertThat(json.readTree(overflow.body()).path("detail").asString()).contains("overflows");
        assertThat(RowCounts.differences(before, rows.snapshot())).isEmpty();
    }

    /**
     * The counts once background work (other contexts' retries, this one's seeding) holds
     * still.
     */
    private static Map<String, Long> quiet(RowCounts rows) {
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(rows.snapshot());
        await().atMost(Duration.ofSeconds(60))
            .pollDelay(Duration.ofMillis(500))
            .pollInterval(Duration.ofMillis(500))
            .until(() -> {
                Map<String, Long> now = rows.snapshot();
                return now.equals(last.getAndSet(now));
            });
        return last.get();
    }

    private boolean namesField(HttpResponse<String> response, String field) {
        for (JsonNode error : json.readTree(response.body()).path("errors")) {
            if (error.path("field").asString().equals(field)) {
                return true;
            }
        }
        return false;
    }

    private static String order(String quantity, String unitPrice) {
        return "{\"customerReference\":\"strict\",\"currency\":\"EUR\",\"items\":[{\"description\":\"thing\",\"quantity\":"
                + quantity + ",\"unitPrice\":" + unitPrice + "}]}";
    }

    private String id(HttpResponse<String> response, String name) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
        return json.readTree(response.body()).path(name).asString();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .header("X-API-Key", API_KEY)
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .method(method, BodyPublishers.ofString(body))
            .build();
        return http.send(request, BodyHandlers.ofString());
    }

}
