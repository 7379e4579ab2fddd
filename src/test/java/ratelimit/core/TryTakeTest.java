package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tryTake}, the decision without its count and wait, decides exactly as
 * {@code tryConsume} does.
 */
class TryTakeTest {

    @ParameterizedTest(name = "capacity {0}, {1} per {2} ns, seed {3}")
    @CsvSource({ "1, 1, 1000, 1", "3, 1, 1000, 2", "100, 1000, 1000000000, 3", "7, 3, 1000000000, 4",
            "1000, 999999999, 1000000000, 5" })
    void decidesAsTryConsumeDoesOnTheSameSchedule(long capacity, long refillTokens, long periodNanos, long seed) {
        BucketSpec spec = new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos));
        Random random = new Random(seed);
        ManualClock clock = new ManualClock(random.nextLong());
        TokenBucket taking = new TokenBucket(spec, clock);
        TokenBucket consuming = new TokenBucket(spec, clock);
        KeyedBuckets<String> keyedTaking = new KeyedBuckets<>(spec, 10, clock);
        KeyedBuckets<String> keyedConsuming = new KeyedBuckets<>(spec, 10, clock);

        // Around the interval of one token, so the bucket both empties and refills.
        int tokenInterval = (int) Math.max(2, Math.min(Integer.MAX_VALUE, 2 * periodNanos / refillTokens));
        int granted = 0;
        for (int step = 0; step < 2_000; step++) {
            clock.advance(random.nextInt(3) == 0 ? random.nextInt(tokenInterval) : 0);
            long tokens = 1 + random.nextInt((int) Math.min(3, capacity));
            boolean expected = consuming.tryConsume(tokens).consumed();
            assertThat(taking.tryTake(tokens)).as("step %d", step).isEqualTo(expected);
            assertThat(keyedTaking.tryTake("k", tokens)).isEqualTo(keyedConsuming.tryConsume("k", tokens).consumed());
            granted += expected ? 1 : 0;
        }
        assertThat(granted).as("the schedule both grants and refuses").isBetween(1, 1_999);
    }

}
