package shortener.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static shortener.ShortenerHttp.uniqueTarget;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import shortener.ShortCode;
import shortener.ShortenerSettings;
import shortener.ShortenerTest;
import shortener.domain.Caller;
import shortener.domain.Link;
import shortener.domain.LinkNotFoundException;
import shortener.repository.ClickBuffer;
import shortener.repository.ClickLimits;
import shortener.repository.ClickStatistics;
import shortener.repository.LinkCache;
import shortener.repository.Links;
import shortener.repository.NearLinkCache;

/**
 * The redirect path and the flush with a Redis nobody listens on, beside the real
 * PostgreSQL: redirects keep working from PostgreSQL, clicks wait in memory and reach the
 * statistics on the next flush, and only links with a click limit are refused (503),
 * since their limit is exact only in Redis.
 */
@ShortenerTest
class RedisDownTests extends OwnRedisConnectionTests {

    private LettuceConnectionFactory unreachable;

    private RedisAvailability availability;

    private LocalClickBuffer localClicks;

    private Redirects redirects;

    private ClickFlusher flusher;

    @BeforeEach
    void withoutRedis() {
        unreachable = unreachableRedis();
        var redis = new StringRedisTemplate(unreachable);
        availability = new RedisAvailability(Duration.ofSeconds(5));
        localClicks = new LocalClickBuffer(3, new SimpleMeterRegistry());
        // Never confirmed live (no heartbeat without Redis), and no entry young enough:
        // every redirect reads PostgreSQL.
        var nearCache = new NearLinkCache(100, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMillis(800),
                Duration.ZERO, System::nanoTime);
        redirects = redirectsOn(redis, nearCache, localClicks, availability);
        flusher = flusherOn(redis, localClicks, availability);
    }

    @AfterEach
    void close() {
        unreachable.destroy();
    }

    @Test
    void redirectsFromPostgresqlAndCountsTheClicksOnTheNextFlush() {
        Link link = linkService.create(new NewLink(uniqueTarget(), null, null, null, null, null), CREATOR);

        Redirect first = redirects.follow(link.code(), null, "Mozilla/5.0");
        Redirect second = redirects.follow(link.code(), null, "Mozilla/5.0");

        assertThat(first.target()).isEqualTo(link.target().value());
        assertThat(second.target()).isEqualTo(link.target().value());
        assertThat(availability.isReachable()).isFalse();
        assertThat(localClicks.size()).isEqualTo(2);

        assertThat(flusher.flush()).isEqualTo(2);
        assertThat(statistics.of(link.code(), java.time.LocalDate.now(java.time.ZoneOffset.UTC), 10).totalClicks())
            .isEqualTo(2);
        assertThat(localClicks.size()).isZero();
    }

    @Test
    void answersAnUnknownCodeWith404FromPostgresql() {
        assertThatThrownBy(() -> redirects.follow(ShortCode.of("no-such-link-" + System.nanoTime()), null, null))
            .isInstanceOf(LinkNotFoundException.class);
    }

    @Test
    void refusesALinkWithAClickLimitRatherThanOverServingIt() {
        Link limited = linkService.create(new NewLink(uniqueTarget(), null, null, null, 5L, null), CREATOR);

        assertThatThrownBy(() -> redirects.follow(limited.code(), null, "Mozilla/5.0"))
            .isInstanceOf(ClickLimitUnavailableException.class)
            .satisfies(e -> assertThat(((ClickLimitUnavailableException) e).getHeaders().getFirst("Retry-After"))
                .isEqualTo("5"));
    }

    @Test
    void dropsAndCountsClicksBeyondTheInMemoryBuffer() {
        Link link = linkService.create(new NewLink(uniqueTarget(), null, null, null, null, null), CREATOR);

        for (int i = 0; i < 5; i++) {
            redirects.follow(link.code(), null, "Mozilla/5.0");
        }

        assertThat(localClicks.size()).isEqualTo(3);
        assertThat(localClicks.dropped()).isEqualTo(2);
    }

    private static LettuceConnectionFactory unreachableRedis() {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        var client = LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(200)).build();
        var factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", closedPort), client);
        factory.afterPropertiesSet();
        return factory;
    }

}
