package quartet.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keys configured as digests and rotated, and failed authentication limited per client
 * address, over real HTTP. The client's address is a made-up one in X-Forwarded-For (the
 * test configuration trusts loopback as a proxy), so no test shares a failure bucket,
 * even on a reused Redis.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        // rotating's old key is configured by its digest only: printf %s rotating-old-key
        // | sha256sum
        "quartet.platform.api-keys=demo=demo-key-change-me,ops=ops-test-key,"
                + "rotating=sha256:4abdaebb9e5c5f7a01d85ad614da67cdd63feecbb4db28e27b196915192546bf,rotating=rotating-new-key",
        "quartet.platform.failed-auth.limit-per-minute=3" })
class ApiKeySecurityTests {

    private static final String OLD_KEY = "rotating-old-key";

    private static final String NEW_KEY = "rotating-new-key";

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    MeterRegistry meters;

    @Test
    void aKeyConfiguredByItsDigestAuthenticatesAsItsClient() throws Exception {
        HttpResponse<String> response = get("/api/test/whoami", OLD_KEY, randomClientIp());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode caller = json.readTree(response.body());
        assertThat(caller.path("client").asString()).isEqualTo("rotating");
        assertThat(caller.path("authorities").valueStream().map(JsonNode::asString)).containsExactly("ROLE_API_CLIENT");
    }

    @Test
    void bothKeysOfARotatingClientWorkAtOnce() throws Exception {
        String address = randomClientIp();

        assertThat(clientOf(get("/api/test/whoami", OLD_KEY, address))).isEqualTo("rotating");
        assertThat(clientOf(get("/api/test/whoami", NEW_KEY, address))).isEqualTo("rotating");
    }

    @Test
    void theDigestItselfIsNoKey() throws Exception {
        HttpResponse<String> response = get("/api/test/whoami",
                "sha256:4abdaebb9e5c5f7a01d85ad614da67cdd63feecbb4db28e27b196915192546bf", randomClientIp());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void anAdminClientHasTheAdminRole() throws Exception {
        JsonNode caller = json.readTree(get("/api/test/whoami", "ops-test-key", randomClientIp()).body());

        assertThat(caller.path("authorities").valueStream().map(JsonNode::asString)).containsExactly("ROLE_ADMIN",
                "ROLE_API_CLIENT");
    }

    @Test
    void answers429AfterTheAllowedFailuresFromOneAddressOnly() throws Exception {
        String guesser = randomClientIp();
        double wrongBefore = failures("wrong-key", "unauthorized");
        double missingBefore = failures("missing-key", "unauthorized");
        double limitedBefore = failures("wrong-key", "limited");

        List<Integer> statuses = new ArrayList<>();
        statuses.add(get("/api/test/whoami", "guess-1", guesser).statusCode());
        statuses.add(get("/api/test/whoami", null, guesser).statusCode());
        statuses.add(get("/api/test/whoami", "guess-2", guesser).statusCode());
        HttpResponse<String> limited = get("/api/test/whoami", "guess-3", guesser);

        assertThat(statuses).containsExactly(401, 401, 401);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 20L);
        JsonNode problem = json.readTree(limited.body());
        assertThat(problem.path("status").asInt()).isEqualTo(429);
        assertThat(problem.path("policy").asString()).isEqualTo("failed-auth");
        assertThat(limited.body()).doesNotContain("guess-3");
        assertThat(get("/api/test/whoami", null, guesser).statusCode()).as("a missing key is limited too")
            .isEqualTo(429);

        assertThat(get("/api/test/whoami", "guess-4", randomClientIp()).statusCode()).as("another address")
            .isEqualTo(401);
        assertThat(failures("wrong-key", "unauthorized")).isEqualTo(wrongBefore + 3);
        assertThat(failures("missing-key", "unauthorized")).isEqualTo(missingBefore + 1);
        assertThat(failures("wrong-key", "limited")).isEqualTo(limitedBefore + 1);
    }

    @Test
    void stillAcceptsAValidKeyFromALimitedAddress() throws Exception {
        String shared = randomClientIp();
        for (int i = 0; i < 4; i++) {
            get("/api/test/whoami", "guess-" + i, shared);
        }
        assertThat(get("/api/test/whoami", "guess-5", shared).statusCode()).isEqualTo(429);

        assertThat(clientOf(get("/api/test/whoami", NEW_KEY, shared))).isEqualTo("rotating");
    }

    @Test
    void countsAWrongKeyOnAPublicRouteToo() throws Exception {
        String guesser = randomClientIp();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(get("/actuator/info", "guess-" + i, guesser).statusCode());
        }

        // A public route may still tell a right key from a wrong one (health shows an
        // admin its
        // details), so guessing there costs the same as on the API.
        assertThat(statuses).containsExactly(200, 200, 200, 429);
    }

    private double failures(String reason, String outcome) {
        return meters.counter("quartet.auth.failures", "reason", reason, "outcome", outcome).count();
    }

    private String clientOf(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body()).path("client").asString();
    }

    private HttpResponse<String> get(String path, String key, String clientIp) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("X-Forwarded-For", clientIp)
            .GET();
        if (key != null) {
            request.header("X-API-Key", key);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    /**
     * A client address from IPv6's documentation range (RFC 3849): 2^48 choices, so runs
     * never meet.
     */
    private static String randomClientIp() {
        var random = ThreadLocalRandom.current();
        return "2001:db8:" + Integer.toHexString(random.nextInt(0x10000)) + ":"
                + Integer.toHexString(random.nextInt(0x10000)) + "::" + Integer.toHexString(random.nextInt(1, 0x10000));
    }

}
