package shortener.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static shortener.ShortenerHttp.uniqueTarget;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import quartet.resilience.TcpProxy;
import shortener.ShortCode;
import shortener.ShortenerSettings;
import shortener.ShortenerTest;
import shortener.domain.Caller;
import shortener.domain.Link;
import shortener.repository.ClickBuffer;
import shortener.repository.ClickLimits;
import shortener.repository.ClickStatistics;
import shortener.repository.LinkCache;
import shortener.repository.Links;
import shortener.repository.NearLinkCache;

/**
 * The redirect path and the flush with the real Redis hanging (as under SIGSTOP: a proxy
 * between them holds every byte, then lets the held commands through late, and Redis runs
 * them). The first call that times out opens the circuit: every later redirect is served
 * from PostgreSQL without sending Redis anything, a link with a click limit is refused at
 * once, and when Redis wakes and runs the commands that timed out, no redirect is counted
 * twice and none that was refused is counted at all.
 */
@ShortenerTest
class HungRedisTests extends OwnRedisConnectionTests {

    private static final Duration TIMEOUT = Duration.ofMillis(500);

    @Value("${spring.data.redis.host:localhost}")
    String host;

    @Value("${spring.data.redis.port:6379}")
    int port;

    private final AtomicInteger commandsSent = new AtomicInteger();

    private TcpProxy proxy;

    private LettuceConnectionFactory proxied;

    private StringRedisTemplate redis;

    private RedisAvailability circuit;

    private Redirects redirects;

    private ClickFlusher flusher;

    @BeforeEach
    void throughAProxy() {
        proxy = new TcpProxy("shortener-redis", host, port);
        var client = LettuceClientConfiguration.builder().commandTimeout(TIMEOUT).build();
        proxied = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", proxy.port()), client);
        proxied.afterPropertiesSet();
        proxied.getNativeClient().addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commandsSent.incrementAndGet();
            }
        });
        redis = new StringRedisTemplate(proxied);
        // Longer than the test: no probe while Redis hangs, so every command counted was
        // a request's.
        circuit = new RedisAvailability(Duration.ofMinutes(5));
        // Trusted for longer than the test without heartbeats: a near-cached limited link
        // sends Redis only its take.
        var nearCache = new NearLinkCache(100, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMillis(800),
                Duration.ofMinutes(1), System::nanoTime);
        var localClicks = new LocalClickBuffer(10_000, new SimpleMeterRegistry());
        redirects = redirectsOn(redis, nearCache, localClicks, circuit);
        flusher = flusherOn(redis, localClicks, circuit);
    }

    @AfterEach
    void close() {
        proxy.close();
        proxied.destroy();
    }

    @Test
    void servesEveryRedirectWithoutWaitingForAHungRedisAndCountsEachClickOnce() {
        Link limited = linkService.create(new NewLink(uniqueTarget(), null, null, null, 100L, null), CREATOR);
        List<Link> plain = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            plain.add(linkService.create(new NewLink(uniqueTarget(), null, null, null, null, null), CREATOR));
        }
        for (int i = 0; i < 3; i++) {
            redirects.follow(limited.code(), null, "Mozilla/5.0");
        }

        proxy.pause();
        // Its take-click script times out here, opening the circuit, and runs when Redis
        // wakes: it must not count a click.
        assertThatThrownBy(() -> redirects.follow(limited.code(), null, "Mozilla/5.0"))
            .isInstanceOf(ClickLimitUnavailableException.class);
        assertThat(circuit.isReachable()).isFalse();
        int sentBefore = commandsSent.get();
        // Links new to this instance: each first visit would read Redis's cache, but the
        // circuit sends them to PostgreSQL.
        for (int round = 0; round < 10; round++) {
            for (Link link : plain) {
                assertThat(redirects.follow(link.code(), null, "Mozilla/5.0").target())
                    .isEqualTo(link.target().value());
            }
        }
        assertThatThrownBy(() -> redirects.follow(limited.code(), null, "Mozilla/5.0"))
            .isInstanceOf(ClickLimitUnavailableException.class);
        assertThat(commandsSent.get()).as("commands sent to the hung Redis after the circuit opened")
            .isEqualTo(sentBefore);

        proxy.resume();
        await("the held script ran").atMost(Duration.ofSeconds(10))
            .until(() -> "4".equals(redis.opsForValue().get("quartet:shortener:clicks:count:" + limited.code())));
        assertThat(flusher.flush()).isEqualTo(203);

        for (Link link : plain) {
            assertThat(totalClicks(link.code())).isEqualTo(10);
        }
        assertThat(totalClicks(limited.code())).as("the refused redirect is not a click").isEqualTo(3);
        assertThat(flusher.flush()).isZero();
    }

    @Test
    void closesTheCircuitOnTheFirstProbeAfterRedisWakes() {
        Link limited = linkService.create(new NewLink(uniqueTarget(), null, null, null, 100L, null), CREATOR);
        circuit = new RedisAvailability(Duration.ofMillis(200));
        redirects = redirectsOn(redis, new NearLinkCache(100, Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofMillis(800), Duration.ZERO, System::nanoTime),
                new LocalClickBuffer(10, new SimpleMeterRegistry()), circuit);
        proxy.pause();
        assertThatThrownBy(() -> redirects.follow(limited.code(), null, "Mozilla/5.0"))
            .isInstanceOf(ClickLimitUnavailableException.class);

        proxy.resume();

        await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(50))
            .ignoreException(ClickLimitUnavailableException.class)
            .until(() -> redirects.follow(limited.code(), null, "Mozilla/5.0") != null);
        assertThat(circuit.isReachable()).isTrue();
    }

    private long totalClicks(ShortCode code) {
        return statistics.of(code, LocalDate.now(ZoneOffset.UTC), 10).totalClicks();
    }

}
