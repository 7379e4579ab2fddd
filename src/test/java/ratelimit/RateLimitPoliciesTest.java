package ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Policies that code defines: they decide like configured ones but are never applied to a
 * route.
 */
class RateLimitPoliciesTest {

    private final RateLimitSettings.Policy configured = new RateLimitSettings.Policy("api", List.of("/api/**"), 5, 5,
            Duration.ofMinutes(1), RateLimitSettings.Key.CLIENT, RateLimitSettings.Store.LOCAL, false, 0);

    private final PolicyRateLimiter limiter = new PolicyRateLimiter(
            new RateLimitSettings(true, 100, RateLimitSettings.RedisFailure.LOCAL, List.of(), List.of(configured), 64,
                    Duration.ofSeconds(5), Duration.ofSeconds(30)),
            new StringRedisTemplate(), new SimpleMeterRegistry());

    @Test
    void aDefinedPolicyGrantsItsCapacityPerKeyAndStaysOffTheRoutes() {
        limiter.define("login-failures", 3, Duration.ofMinutes(1), false);

        long allowed = IntStream.range(0, 5)
            .filter(i -> limiter.tryAcquire("login-failures", "ip:203.0.113.1").allowed())
            .count();

        assertThat(allowed).isEqualTo(3);
        assertThat(limiter.tryAcquire("login-failures", "ip:203.0.113.2").allowed()).isTrue();
        assertThat(limiter.policies()).containsExactly(configured);
    }

    @Test
    void definingTheSameLimitAgainKeepsTheBuckets() {
        limiter.define("login-failures", 1, Duration.ofMinutes(1), false);
        limiter.tryAcquire("login-failures", "k");

        limiter.define("login-failures", 1, Duration.ofMinutes(1), false);

        assertThat(limiter.tryAcquire("login-failures", "k").allowed()).isFalse();
    }

    @Test
    void refusesAnotherLimitUnderATakenName() {
        limiter.define("login-failures", 1, Duration.ofMinutes(1), false);

        assertThatThrownBy(() -> limiter.define("login-failures", 2, Duration.ofMinutes(1), false))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'login-failures' already exists");
        assertThatThrownBy(() -> limiter.define("api", 5, Duration.ofMinutes(1), true))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'api' already exists");
    }

    @Test
    void refusesAMalformedNameOrLimit() {
        assertThatThrownBy(() -> limiter.define("Login Failures", 1, Duration.ofMinutes(1), false))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter.define("zero", 0, Duration.ofMinutes(1), false))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
