package ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import quartet.QuartetApplication;
import ratelimit.core.BucketSpec;
import ratelimit.core.ConsumptionProbe;

/** The Redis bucket against a real Redis (embedded, or the machine's in CI). */
@SpringBootTest(classes = QuartetApplication.class)
class RedisTokenBucketsTests {

    private static final String PREFIX = "quartet:test:ratelimit:";

    @Autowired
    StringRedisTemplate redis;

    @Test
    void twoInstancesSharingAKeyGrantNoMoreThanTheCapacityTogether() {
        var first = new RedisTokenBuckets(redis, PREFIX);
        var second = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(5, 1, Duration.ofHours(1));
        String key = UUID.randomUUID().toString();

        long granted = IntStream.range(0, 20)
            .mapToObj(i -> (i % 2 == 0 ? first : second).tryConsume(key, spec, 1))
            .filter(ConsumptionProbe::consumed)
            .count();

        assertThat(granted).isEqualTo(5);
    }

    @Test
    void reportsTheRemainingTokensAndTheWaitForTheNextOne() {
        var buckets = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(2, 1, Duration.ofMinutes(1));
        String key = UUID.randomUUID().toString();

        assertThat(buckets.tryConsume(key, spec, 1).remainingTokens()).isEqualTo(1);
        assertThat(buckets.tryConsume(key, spec, 1).remainingTokens()).isZero();
        ConsumptionProbe rejected = buckets.tryConsume(key, spec, 1);

        assertThat(rejected.consumed()).isFalse();
        assertThat(Duration.ofNanos(rejected.nanosToWaitForRefill())).isBetween(Duration.ofSeconds(55), Duration.ofMinutes(1));
    }

    @Test
    void keepsAKeyOnlyAsLongAsTheBucketTakesToRefill() {
        var buckets = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(10, 10, Duration.ofSeconds(20)); // 2 s per token
        String key = UUID.randomUUID().toString();

        buckets.tryConsume(key, spec, 3);

        Long ttl = redis.getExpire(PREFIX + key, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(ttl).isBetween(5_000L, 6_000L);
    }

    @Test
    void refillsOnRedisClockAndLeavesNoKeyOnceFull() {
        var buckets = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(1, 1, Duration.ofMillis(300));
        String key = UUID.randomUUID().toString();

        assertThat(buckets.tryConsume(key, spec, 1).consumed()).isTrue();
        assertThat(buckets.tryConsume(key, spec, 1).consumed()).isFalse();

        await().atMost(Duration.ofSeconds(5)).until(() -> buckets.tryConsume(key, spec, 1).consumed());
        await().atMost(Duration.ofSeconds(5)).until(() -> !redis.hasKey(PREFIX + key));
    }

    @Test
    void refusesSpecsItCannotComputeExactly() {
        var buckets = new RedisTokenBuckets(redis, PREFIX);

        assertThatThrownBy(() -> buckets.requireSupported(new BucketSpec(1_000_000, 1_000_000, Duration.ofDays(1))))
            .hasMessageContaining("2^53");
        assertThatThrownBy(() -> buckets.requireSupported(new BucketSpec(10, 10, Duration.ofNanos(500))))
            .hasMessageContaining("microsecond");
    }
}
