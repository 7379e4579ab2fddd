package shortener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static shortener.ShortenerHttp.problem;
import static shortener.ShortenerHttp.uniqueAlias;
import static shortener.ShortenerHttp.uniqueTarget;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import quartet.QuartetApplication;
import shortener.repository.NearLinkCache;

/**
 * Two instances on the same PostgreSQL and Redis: this test's application context (A) and
 * a second one started beside it (B). A link B serves from its near cache stops
 * redirecting on B within a second of A disabling, editing or deleting it, or of its
 * expiry, and a code B remembered as unknown redirects within a second of A creating it.
 * B's channel is confirmed live before each change, so B trusts its entries in full: only
 * the invalidation can make it see the change.
 */
@ShortenerTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NearCacheAcrossInstancesTests {

    private static final Duration WITHIN = Duration.ofSeconds(1);

    private static final Duration POLL = Duration.ofMillis(20);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StringRedisTemplate redis;

    private ConfigurableApplicationContext instanceB;

    private ShortenerHttp a;

    private ShortenerHttp b;

    @BeforeAll
    void startInstanceB() {
        // The same configuration and engines (shared per JVM); B's own port. B's limiter
        // is off: the test polls B fast.
        instanceB = new SpringApplicationBuilder(QuartetApplication.class).run("--server.port=0",
                "--spring.main.banner-mode=off", "--quartet.ratelimit.enabled=false");
        b = new ShortenerHttp(Integer.parseInt(instanceB.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    void stopInstanceB() {
        if (instanceB != null) {
            instanceB.close();
        }
    }

    @BeforeEach
    void connect() {
        a = new ShortenerHttp(port);
        NearLinkCache nearCacheOfB = instanceB.getBean(NearLinkCache.class);
        await("B hears the change channel").atMost(Duration.ofSeconds(10)).until(nearCacheOfB::isConfirmedLive);
    }

    @Test
    void stopsRedirectingOnTheOtherInstanceWithinASecondOfBeingDisabled() {
        String code = a.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        URI target = location(b.follow(code));
        changeBehindTheCachesBack(code);
        assertThat(location(b.follow(code))).as("B serves its near cache").isEqualTo(target);

        a.patch("/api/links/" + code, "{\"disabled\":true}");

        await().atMost(WITHIN).pollInterval(POLL).until(() -> b.follow(code).statusCode() == 410);
        assertThat(problem(b.follow(code), 410).path("reason").asString()).isEqualTo("disabled");
    }

    @Test
    void stopsRedirectingOnTheOtherInstanceWithinASecondOfItsLimitBeingLowered() {
        String code = a.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"maxClicks\":1000}");
        assertThat(b.follow(code).statusCode()).isEqualTo(302);
        assertThat(b.follow(code).statusCode()).isEqualTo(302);

        a.patch("/api/links/" + code, "{\"maxClicks\":2}");

        await().atMost(WITHIN).pollInterval(POLL).until(() -> b.follow(code).statusCode() == 410);
        assertThat(problem(b.follow(code), 410).path("reason").asString()).isEqualTo("exhausted");
    }

    @Test
    void redirectsAgainOnTheOtherInstanceWithinASecondOfBeingReenabled() {
        String code = a.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        a.patch("/api/links/" + code, "{\"disabled\":true}");
        assertThat(b.follow(code).statusCode()).isEqualTo(410);

        a.patch("/api/links/" + code, "{\"disabled\":false}");

        await().atMost(WITHIN).pollInterval(POLL).until(() -> b.follow(code).statusCode() == 302);
    }

    @Test
    void stopsRedirectingOnTheOtherInstanceWithinASecondOfBeingDeleted() {
        String code = a.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        assertThat(b.follow(code).statusCode()).isEqualTo(302);

        assertThat(a.delete("/api/links/" + code).statusCode()).isEqualTo(204);

        await().atMost(WITHIN).pollInterval(POLL).until(() -> b.follow(code).statusCode() == 404);
    }

    @Test
    void redirectsACodeTheOtherInstanceKnewAsUnknownWithinASecondOfItsCreation() {
        String alias = uniqueAlias();
        assertThat(b.follow(alias).statusCode()).isEqualTo(404);

        a.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"alias\":\"" + alias + "\"}");

        await().atMost(WITHIN).pollInterval(POLL).until(() -> b.follow(alias).statusCode() == 302);
    }

    @Test
    void stopsRedirectingOnTheOtherInstanceWithinASecondOfItsExpiry() {
        String code = a.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"ttl\":\"PT2S\"}");
        Instant expiresAt = Instant.parse(ShortenerHttp.json(a.get("/api/links/" + code)).path("expiresAt").asString());
        assertThat(b.follow(code).statusCode()).isEqualTo(302);

        await().atMost(Duration.between(Instant.now(), expiresAt).plus(WITHIN))
            .pollInterval(POLL)
            .until(() -> b.follow(code).statusCode() == 410);
        assertThat(problem(b.follow(code), 410).path("reason").asString()).isEqualTo("expired");
    }

    /**
     * Points the link elsewhere in PostgreSQL and drops Redis's entry, telling no
     * instance: only a cache still has the old target.
     */
    private void changeBehindTheCachesBack(String code) {
        jdbc.sql("update shortener.links set target_url = ? where code = ?").params(uniqueTarget(), code).update();
        redis.delete("quartet:shortener:link:" + code);
    }

    private static URI location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
        return URI.create(response.headers().firstValue("Location").orElseThrow());
    }

}
