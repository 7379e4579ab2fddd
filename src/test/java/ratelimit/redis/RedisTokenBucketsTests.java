package ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import quartet.QuartetApplication;
import ratelimit.core.BucketSpec;
import ratelimit.core.ConsumptionProbe;
import ratelimit.core.TextbookBucket;

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
        assertThat(Duration.ofNanos(rejected.nanosToWaitForRefill())).isBetween(Duration.ofSeconds(55),
                Duration.ofMinutes(1));
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

        // 7 a day share no factor with the day's nanoseconds: 10,000 x 86,400 s in ns is
        // above 2^53
        assertThatThrownBy(() -> buckets.requireSupported(new BucketSpec(10_000, 7, Duration.ofDays(1))))
            .hasMessageContaining("2^53");
        assertThatThrownBy(() -> buckets.requireSupported(new BucketSpec(10, 10, Duration.ofNanos(500))))
            .hasMessageContaining("microsecond");
    }

    /**
     * A lease takes as many tokens as there are up to the most asked, or none below the
     * least.
     */
    @Test
    void leasesTakeWhatTheBucketHoldsBetweenTheLeastAndTheMost() {
        var buckets = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(5, 1, Duration.ofMillis(1));
        String key = UUID.randomUUID().toString();
        long start = 1_700_000_000_000_000L;

        assertThat(buckets.leaseAt(key, spec, 1, 3, start)).isEqualTo(new ratelimit.core.TokenLeases.Lease(3, 2, 0));
        assertThat(buckets.leaseAt(key, spec, 1, 3, start)).isEqualTo(new ratelimit.core.TokenLeases.Lease(2, 0, 0));
        assertThat(buckets.leaseAt(key, spec, 1, 3, start))
            .isEqualTo(new ratelimit.core.TokenLeases.Lease(0, 0, 1_000_000));
        assertThat(buckets.leaseAt(key, spec, 2, 3, start + 1_000)).as("one token back, two needed")
            .isEqualTo(new ratelimit.core.TokenLeases.Lease(0, 1, 1_000_000));
        assertThat(buckets.leaseAt(key, spec, 2, 3, start + 2_000))
            .isEqualTo(new ratelimit.core.TokenLeases.Lease(2, 0, 0));
    }

    /**
     * The reported case, on the script's microsecond clock: full since long ago, emptied
     * at 999 us.
     */
    @Test
    void aBucketThatWasFullGrantsItsNextTokenOneWholeIntervalAfterTheGrantThatEmptiedIt() {
        var buckets = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(1, 1, Duration.ofMillis(1));
        String key = UUID.randomUUID().toString();
        long start = 1_700_000_000_000_000L;

        assertThat(buckets.tryConsumeAt(key, spec, 1, start + 999)).isEqualTo(new ConsumptionProbe(true, 0, 0));
        assertThat(buckets.tryConsumeAt(key, spec, 1, start + 1_000))
            .isEqualTo(new ConsumptionProbe(false, 0, 999_000));
        assertThat(buckets.tryConsumeAt(key, spec, 1, start + 1_998)).isEqualTo(new ConsumptionProbe(false, 0, 1_000));
        assertThat(buckets.tryConsumeAt(key, spec, 1, start + 1_999)).isEqualTo(new ConsumptionProbe(true, 0, 0));
    }

    /**
     * Deterministic schedules replayed on the script's clock argument: every decision
     * must be the textbook bucket's at the same instant (waits rounded up to Redis's
     * microsecond), and the grants must respect capacity + floor(rate x w) over every
     * window. The periods that are no whole number of microseconds are the ones the
     * script used to truncate (1,500 ns became 1 us: half again the rate).
     */
    @ParameterizedTest(name = "capacity {0}, {1} per {2} ns, seed {3}")
    @CsvSource({ "1, 1, 1000000, 1", "1, 1, 1500, 2", "3, 1000, 1000500, 3", "10, 3, 1000000000, 4",
            "5, 7, 3000000000, 5", "60, 600, 60000000000, 6", "1000, 1, 1999, 7", })
    void matchesTheTextbookBucketOnDeterministicSchedules(long capacity, long refillTokens, long periodNanos,
            long seed) {
        var buckets = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos));
        buckets.requireSupported(spec);
        var reference = new TextbookBucket(capacity, refillTokens, periodNanos);
        String key = UUID.randomUUID().toString();
        long intervalMicros = Math.max(1, periodNanos / refillTokens / 1_000);
        Random random = new Random(seed);
        long start = 1_700_000_000_000_000L + random.nextInt(1_000_000);
        long micros = 0;
        List<long[]> grants = new ArrayList<>();

        for (int step = 0; step < 300; step++) {
            micros += switch (random.nextInt(6)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> intervalMicros - 1;
                case 3 -> intervalMicros;
                case 4 -> (long) (random.nextDouble() * 3 * intervalMicros);
                default -> (long) (random.nextDouble() * capacity * intervalMicros);
            };
            long tokens = random.nextInt(4) == 0 ? 1 + random.nextInt((int) Math.min(capacity, 1_000)) : 1;
            ConsumptionProbe expected = reference.tryConsume(BigInteger.valueOf(micros * 1_000), tokens);
            ConsumptionProbe actual = buckets.tryConsumeAt(key, spec, tokens, start + micros);

            long expectedWait = expected.consumed() ? 0
                    : Math.max(1, -Math.floorDiv(-expected.nanosToWaitForRefill(), 1_000)) * 1_000;
            assertThat(actual).as("step %d at %d us, %d tokens", step, micros, tokens)
                .isEqualTo(new ConsumptionProbe(expected.consumed(), expected.remainingTokens(), expectedWait));
            if (actual.consumed()) {
                grants.add(new long[] { micros * 1_000, tokens });
            }
        }
        assertThat(grants).hasSizeGreaterThan((int) Math.min(capacity, 20));
        for (int j = 0; j < grants.size(); j++) {
            long granted = 0;
            for (int i = j; i >= 0; i--) {
                granted += grants.get(i)[1];
                long window = grants.get(j)[0] - grants.get(i)[0];
                long allowed = capacity + BigInteger.valueOf(window)
                    .multiply(BigInteger.valueOf(refillTokens))
                    .divide(BigInteger.valueOf(periodNanos))
                    .longValueExact();
                assertThat(granted).as("grants %d..%d within %d ns", i, j, window).isLessThanOrEqualTo(allowed);
            }
        }
    }

    /**
     * The same bound on Redis's real clock, as the application calls it: no clock
     * argument.
     */
    @Test
    void grantsNoMoreThanCapacityPlusRefillOverARunTimedByRedis() {
        var buckets = new RedisTokenBuckets(redis, PREFIX);
        var spec = new BucketSpec(5, 3, Duration.ofMillis(10)); // a token every 3.33 ms
        String key = UUID.randomUUID().toString();

        long before = redisMicros();
        long granted = IntStream.range(0, 400).filter(i -> buckets.tryConsume(key, spec, 1).consumed()).count();
        long after = redisMicros();

        long refilled = (after - before) * 1_000 * 3 / 10_000_000;
        assertThat(granted).isBetween(5L, 5 + refilled);
    }

    private long redisMicros() {
        return redis
            .execute((RedisCallback<Long>) connection -> connection.serverCommands().time(TimeUnit.MICROSECONDS));
    }

}
