package ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What a Redis-backed policy does while Redis cannot be reached (a port nobody listens
 * on).
 */
class RedisFailureModesTests {

    private final LettuceConnectionFactory unreachable = unreachableRedis();

    @AfterEach
    void close() {
        unreachable.destroy();
    }

    @ParameterizedTest(name = "{0}: {1} of 5 allowed")
    @CsvSource({ "OPEN, 5", "CLOSED, 0", "LOCAL, 2" })
    void decidesAsConfiguredWhileRedisIsDown(RateLimitSettings.RedisFailure mode, int expectedAllowed) {
        var policy = new RateLimitSettings.Policy("test", List.of("/**"), 2, 2, Duration.ofHours(1),
                RateLimitSettings.Key.IP, RateLimitSettings.Store.REDIS, false, 0);
        var settings = new RateLimitSettings(true, 100, mode, List.of(), List.of(policy), 64, Duration.ofSeconds(5),
                Duration.ofSeconds(30));
        var meters = new SimpleMeterRegistry();
        var limiter = new PolicyRateLimiter(settings, new StringRedisTemplate(unreachable), meters);

        long allowed = IntStream.range(0, 5).filter(i -> limiter.tryAcquire("test", "client").allowed()).count();

        assertThat(allowed).isEqualTo(expectedAllowed);
        assertThat(
                meters.counter("quartet.ratelimit.redis.failures", "policy", "test", "mode", mode.name().toLowerCase())
                    .count())
            .isEqualTo(5);
    }

    private static LettuceConnectionFactory unreachableRedis() {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        var client = LettuceClientConfiguration.builder().commandTimeout(Duration.ofMillis(200)).build();
        var factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", closedPort), client);
        factory.afterPropertiesSet();
        return factory;
    }

}
