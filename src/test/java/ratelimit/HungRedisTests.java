package ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import quartet.QuartetApplication;
import quartet.resilience.TcpProxy;

/**
 * The limiter in front of a real Redis (embedded, or the machine's in CI) that hangs,
 * behind a proxy paused like a SIGSTOP: one timeout opens the breaker, then no request
 * calls Redis until the back-off is over, and one probe closes it again once Redis
 * answers.
 */
@SpringBootTest(classes = QuartetApplication.class)
class HungRedisTests {

    @Autowired
    LettuceConnectionFactory applicationRedis;

    private final AtomicLong clock = new AtomicLong();

    private TcpProxy proxy;

    private LettuceConnectionFactory throughProxy;

    @AfterEach
    void close() throws Exception {
        throughProxy.destroy();
        proxy.close();
    }

    @Test
    void aHungRedisCostsOneTimeoutPerBackoffPeriodNotOnePerRequest() {
        PolicyRateLimiter limiter = limiterThroughAProxy();
        String client = UUID.randomUUID().toString();
        assertThat(limiter.tryAcquire("hung", client).remaining()).isEqualTo(999);

        proxy.pause();
        assertThat(limiter.tryAcquire("hung", client).allowed()).as("decided locally after the timeout").isTrue();
        long sentWhileHung = proxy.bytesFromClients();
        for (int i = 0; i < 200; i++) {
            assertThat(limiter.tryAcquire("hung", client).allowed()).isTrue();
        }
        assertThat(proxy.bytesFromClients()).as("no request called Redis during the back-off").isEqualTo(sentWhileHung);

        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        limiter.tryAcquire("hung", client);
        assertThat(proxy.bytesFromClients()).as("one probe after the back-off").isGreaterThan(sentWhileHung);
        long afterProbe = proxy.bytesFromClients();
        for (int i = 0; i < 50; i++) {
            limiter.tryAcquire("hung", client);
        }
        assertThat(proxy.bytesFromClients()).as("the failed probe opened it again").isEqualTo(afterProbe);

        proxy.resume();
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        limiter.tryAcquire("hung", client);
        long afterRecovery = proxy.bytesFromClients();
        limiter.tryAcquire("hung", client);
        assertThat(proxy.bytesFromClients()).as("closed again: every decision is Redis's").isGreaterThan(afterRecovery);
    }

    /**
     * A policy deciding every request in Redis (lease 1), through the proxy, timing out
     * after 300 ms.
     */
    private PolicyRateLimiter limiterThroughAProxy() {
        proxy = new TcpProxy("redis", applicationRedis.getHostName(), applicationRedis.getPort());
        var client = LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(300)).build();
        throughProxy = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", proxy.port()),
                client);
        throughProxy.afterPropertiesSet();
        throughProxy.start();
        var policy = new RateLimitSettings.Policy("hung", List.of(), 1_000, 1_000, Duration.ofHours(1),
                RateLimitSettings.Key.IP, RateLimitSettings.Store.REDIS, false, 1);
        var settings = new RateLimitSettings(true, 100, RateLimitSettings.RedisFailure.LOCAL, List.of(),
                List.of(policy), 64, Duration.ofSeconds(5), Duration.ofSeconds(30));
        return new PolicyRateLimiter(settings, new StringRedisTemplate(throughProxy), new SimpleMeterRegistry(),
                clock::get);
    }

}
