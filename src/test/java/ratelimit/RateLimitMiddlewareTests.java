package ratelimit;

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

/**
 * The middleware over real HTTP, with the test policies from the test configuration: a
 * tight Redis-backed policy and a shadow one, each request from a made-up client IP
 * forwarded by the trusted loopback proxy.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RateLimitMiddlewareTests {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Test
    void allowsTheQuotaThenAnswers429WithRetryAfterAndAProblem() throws Exception {
        String client = randomClientIp();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            responses.add(get("/api/test/limited", client));
        }

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 200, 200, 429);
        assertThat(responses).allSatisfy(response -> assertThat(response.headers().firstValue("RateLimit-Policy"))
            .hasValue("\"tight\";q=3;w=3600"));
        assertThat(responses).extracting(response -> response.headers().firstValue("RateLimit").orElseThrow())
            .map(value -> value.replaceAll(";t=\\d+", ""))
            .containsExactly("\"tight\";r=2", "\"tight\";r=1", "\"tight\";r=0", "\"tight\";r=0");

        HttpResponse<String> rejected = responses.get(3);
        assertThat(rejected.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(rejected.body()).contains("\"status\":429", "\"policy\":\"tight\"");
        assertThat(Long.parseLong(rejected.headers().firstValue("Retry-After").orElseThrow())).isBetween(1000L, 1200L);
    }

    @Test
    void keepsSeparateBucketsForSeparateClients() throws Exception {
        String first = randomClientIp();
        for (int i = 0; i < 3; i++) {
            get("/api/test/limited", first);
        }

        assertThat(get("/api/test/limited", first).statusCode()).isEqualTo(429);
        assertThat(get("/api/test/limited", randomClientIp()).statusCode()).isEqualTo(200);
    }

    @Test
    void onlyCountsWouldBeRejectionsInShadowMode() throws Exception {
        String client = randomClientIp();
        double before = meters.counter("quartet.ratelimit.shadow.rejections", "policy", "shadowed").count();

        HttpResponse<String> first = get("/api/test/shadowed", client);
        HttpResponse<String> second = get("/api/test/shadowed", client);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"shadowed\";r=0");
        assertThat(meters.counter("quartet.ratelimit.shadow.rejections", "policy", "shadowed").count())
            .isEqualTo(before + 1);
    }

    @Test
    void countsDecisionsPerPolicyAndOutcome() throws Exception {
        String client = randomClientIp();
        double allowed = meters.counter("quartet.ratelimit.decisions", "policy", "tight", "outcome", "allowed").count();
        double rejected = meters.counter("quartet.ratelimit.decisions", "policy", "tight", "outcome", "rejected")
            .count();

        for (int i = 0; i < 5; i++) {
            get("/api/test/limited", client);
        }

        assertThat(meters.counter("quartet.ratelimit.decisions", "policy", "tight", "outcome", "allowed").count())
            .isEqualTo(allowed + 3);
        assertThat(meters.counter("quartet.ratelimit.decisions", "policy", "tight", "outcome", "rejected").count())
            .isEqualTo(rejected + 2);
    }

    private HttpResponse<String> get(String path, String clientIp) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("X-API-Key", "demo-key-change-me")
            .header("X-Forwarded-For", clientIp)
            .GET()
            .build();
        return http.send(request, BodyHandlers.ofString());
    }

    /**
     * A client behind a proxy chain, its own address drawn at random from IPv6's
     * documentation range (RFC 3849): 2^48 choices, so neither this run nor another
     * sharing the Redis lands on a bucket someone else already spent.
     */
    private static String randomClientIp() {
        var random = ThreadLocalRandom.current();
        return "198.51.100." + random.nextInt(1, 255) + ", 2001:db8:" + Integer.toHexString(random.nextInt(0x10000))
                + ":" + Integer.toHexString(random.nextInt(0x10000)) + "::"
                + Integer.toHexString(random.nextInt(1, 0x10000));
    }

}
