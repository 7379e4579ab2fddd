package shortener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static shortener.ShortenerHttp.json;
import static shortener.ShortenerHttp.problem;
import static shortener.ShortenerHttp.uniqueAlias;
import static shortener.ShortenerHttp.uniqueTarget;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import quartet.platform.messaging.TopicReader;
import shortener.repository.ClickLimits;
import shortener.repository.LinkCache;
import shortener.service.ClickFlusher;
import tools.jackson.databind.JsonNode;

/**
 * The public redirect over real HTTP, against the real Redis and PostgreSQL: the hot
 * path, limits, expiry, statistics.
 */
@ShortenerTest
class RedirectIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    LinkCache cache;

    @Autowired
    ClickFlusher flusher;

    @Autowired
    ClickLimits limits;

    @Autowired
    MovableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaAdmin kafkaAdmin;

    ShortenerHttp http;

    @BeforeEach
    void connect() {
        http = new ShortenerHttp(port);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void redirectsWith302AndAShortPrivateCacheControl() {
        String target = uniqueTarget();
        String code = http.create("{\"targetUrl\":\"" + target + "\"}");

        HttpResponse<String> response = http.follow(code);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue(target);
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("max-age=30, private");
    }

    @Test
    void redirectsWith301WhenTheLinkAsksForIt() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"permanentRedirect\":true}");

        assertThat(http.follow(code).statusCode()).isEqualTo(301);
    }

    @Test
    void showsWhereALinkLeadsWithAPlus() {
        String target = uniqueTarget();
        String code = http.create("{\"targetUrl\":\"" + target + "\"}");

        HttpResponse<String> response = http.details(code);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).path("targetUrl").asString()).isEqualTo(target);
        assertThat(json(response).path("state").asString()).isEqualTo("active");
    }

    @Test
    void answersAnUnknownCodeWith404AndRemembersItInRedis() {
        String code = uniqueAlias();

        problem(http.follow(code), 404);

        assertThat(cache.lookup(ShortCode.of(code))).isInstanceOf(LinkCache.Lookup.Unknown.class);
    }

    @Test
    void forgetsAnUnknownCodeOnceALinkTakesIt() {
        String alias = uniqueAlias();
        problem(http.follow(alias), 404);

        http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"alias\":\"" + alias + "\"}");

        assertThat(http.follow(alias).statusCode()).isEqualTo(302);
    }

    @Test
    void fillsTheCacheOnAMissAndServesTheNextRedirectFromIt() {
        String target = uniqueTarget();
        String code = http.create("{\"targetUrl\":\"" + target + "\"}");
        assertThat(cache.lookup(ShortCode.of(code))).isInstanceOf(LinkCache.Lookup.Miss.class);

        http.follow(code);
        assertThat(cache.lookup(ShortCode.of(code))).isInstanceOf(LinkCache.Lookup.Hit.class);
        // Changed behind the service's back: only a cache hit still sees the old target.
        jdbc.sql("update shortener.links set target_url = 'https://elsewhere.example/' where code = ?")
            .param(code)
            .update();

        assertThat(http.follow(code).headers().firstValue("Location")).hasValue(target);
    }

    @Test
    void evictsTheCacheWhenALinkChanges() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        http.follow(code);

        http.patch("/api/links/" + code, "{\"disabled\":true}");

        assertThat(cache.lookup(ShortCode.of(code))).isInstanceOf(LinkCache.Lookup.Miss.class);
        assertThat(problem(http.follow(code), 410).path("reason").asString()).isEqualTo("disabled");
    }

    @Test
    void evictsTheCacheWhenALinkIsDeleted() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        http.follow(code);

        http.delete("/api/links/" + code);

        problem(http.follow(code), 404);
    }

    @Test
    void answers410OnceTheLinkExpiredEvenFromTheCache() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"ttl\":\"PT1H\"}");
        assertThat(http.follow(code).statusCode()).isEqualTo(302);
        assertThat(cache.lookup(ShortCode.of(code))).isInstanceOf(LinkCache.Lookup.Hit.class);

        clock.advance(Duration.ofMinutes(61));

        assertThat(problem(http.follow(code), 410).path("reason").asString()).isEqualTo("expired");
        assertThat(json(http.details(code)).path("state").asString()).isEqualTo("expired");
    }

    @Test
    void capsTheRedirectsCacheLifetimeByTheLinksRemainingLife() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"ttl\":\"PT10S\"}");

        assertThat(http.follow(code).headers().firstValue("Cache-Control"))
            .hasValueSatisfying(value -> assertThat(value).matches("max-age=(9|10), private"));
    }

    @Test
    void servesExactlyTheClickLimitUnderConcurrency() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"maxClicks\":10}");

        List<CompletableFuture<HttpResponse<String>>> redirects = IntStream.range(0, 100)
            .mapToObj(i -> http.followAsync(code))
            .toList();
        List<Integer> statuses = redirects.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        assertThat(statuses).filteredOn(status -> status == 302).hasSize(10);
        assertThat(statuses).filteredOn(status -> status == 410).hasSize(90);
        assertThat(problem(http.follow(code), 410).path("reason").asString()).isEqualTo("exhausted");
    }

    @Test
    void raisingTheClickLimitLetsTheLinkRedirectAgain() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"maxClicks\":1}");
        assertThat(http.follow(code).statusCode()).isEqualTo(302);
        assertThat(http.follow(code).statusCode()).isEqualTo(410);

        http.patch("/api/links/" + code, "{\"maxClicks\":2}");

        assertThat(http.follow(code).statusCode()).isEqualTo(302);
        assertThat(http.follow(code).statusCode()).isEqualTo(410);
    }

    @Test
    void seedsTheClickLimitFromPostgresqlOnceItsCounterIsGone() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"maxClicks\":3}");
        assertThat(http.follow(code).statusCode()).isEqualTo(302);
        assertThat(http.follow(code).statusCode()).isEqualTo(302);
        flusher.flush();
        // The scheduled flush may have taken the two clicks first: wait until PostgreSQL
        // holds them.
        await().atMost(Duration.ofSeconds(10))
            .until(() -> json(http.get("/api/links/" + code + "/stats")).path("totalClicks").asLong() == 2);
        // As if the counter had idled out of Redis: the next click starts from the 2
        // PostgreSQL counted.
        limits.forget(ShortCode.of(code));

        assertThat(http.follow(code).statusCode()).isEqualTo(302);
        assertThat(problem(http.follow(code), 410).path("reason").asString()).isEqualTo("exhausted");
    }

    @Test
    void keepsAnsweringADisabledLinkFromTheCacheWithoutCountingIt() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        http.patch("/api/links/" + code, "{\"disabled\":true}");

        assertThat(problem(http.follow(code), 410).path("reason").asString()).isEqualTo("disabled");
        assertThat(cache.lookup(ShortCode.of(code))).isInstanceOf(LinkCache.Lookup.Hit.class);
        assertThat(problem(http.follow(code), 410).path("reason").asString()).isEqualTo("disabled");
        flusher.flush();

        assertThat(json(http.get("/api/links/" + code + "/stats")).path("totalClicks").asLong()).isZero();
    }

    @Test
    void countsClicksIntoStatisticsWhenTheBufferIsFlushed() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        http.follow(code, ShortenerHttp.BROWSER, "https://news.example/item?id=1");
        http.follow(code, ShortenerHttp.BROWSER, "https://news.example/item?id=2");
        http.follow(code, ShortenerHttp.BROWSER, "https://blog.example/post");
        http.follow(code, "Googlebot/2.1 (+http://www.google.com/bot.html)", "https://news.example/");
        assertThat(json(http.get("/api/links/" + code + "/stats")).path("totalClicks").asLong()).isZero();

        flusher.flush();

        JsonNode stats = json(http.get("/api/links/" + code + "/stats"));
        assertThat(stats.path("totalClicks").asLong()).isEqualTo(4);
        assertThat(stats.path("botClicks").asLong()).isEqualTo(1);
        assertThat(stats.path("lastAccessedAt").asString()).isNotBlank();
        JsonNode today = stats.path("daily").get(0);
        assertThat(today.path("day").asString()).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
        assertThat(today.path("clicks").asLong()).isEqualTo(4);
        assertThat(stats.path("topReferrers").get(0).path("host").asString()).isEqualTo("news.example");
        assertThat(stats.path("topReferrers").get(0).path("clicks").asLong()).isEqualTo(3);
        assertThat(stats.path("topReferrers").get(1).path("host").asString()).isEqualTo("blog.example");
    }

    @Test
    void neverMovesLastAccessedBackwardsForALateBatch() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        clock.advance(Duration.ofMinutes(30));
        http.follow(code);
        flusher.flush();
        String latest = json(http.get("/api/links/" + code + "/stats")).path("lastAccessedAt").asString();

        clock.reset();
        http.follow(code);
        flusher.flush();

        JsonNode stats = json(http.get("/api/links/" + code + "/stats"));
        assertThat(stats.path("totalClicks").asLong()).isEqualTo(2);
        assertThat(stats.path("lastAccessedAt").asString()).isEqualTo(latest);
    }

    @Test
    void publishesEachFlushedBatchAsOneKafkaRecord() {
        try (TopicReader topic = TopicReader.of(kafkaAdmin, "link.clicks")) {
            String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
            http.follow(code);
            http.follow(code);
            http.follow(code);

            flusher.flush();

            List<ConsumerRecord<String, String>> mentioning = new java.util.ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                topic.poll().forEach(record -> {
                    if (record.value().contains("\"" + code + "\"")) {
                        mentioning.add(record);
                    }
                });
                return !mentioning.isEmpty();
            });
            assertThat(mentioning).hasSize(1);
            assertThat(mentioning.get(0).value().split("\"" + code + "\"", -1)).hasSize(4);
        }
    }

}
