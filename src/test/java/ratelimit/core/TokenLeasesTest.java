package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Leases against an exact shared bucket (a {@link TokenBucket} standing in for Redis, on
 * the same injected clock): the stated bound over every window, a burst that never passes
 * the capacity, refusals that cost no call, and the key cap.
 */
class TokenLeasesTest {

    /**
     * The shared bucket: takes between least and most tokens, as the Redis script does.
     */
    static final class SharedBucket implements TokenLeases.Source<String> {

        final TokenBucket bucket;

        final AtomicInteger calls = new AtomicInteger();

        SharedBucket(BucketSpec spec, NanoClock clock) {
            this.bucket = new TokenBucket(spec, clock);
        }

        @Override
        public TokenLeases.Lease take(String key, long least, long most) {
            calls.incrementAndGet();
            ConsumptionProbe first = bucket.tryConsume(least);
            if (!first.consumed()) {
                return new TokenLeases.Lease(0, first.remainingTokens(), first.nanosToWaitForRefill());
            }
            long taken = least;
            long remaining = first.remainingTokens();
            while (taken < most && remaining > 0) {
                ConsumptionProbe more = bucket.tryConsume(1);
                if (!more.consumed()) {
                    break;
                }
                taken++;
                remaining = more.remainingTokens();
            }
            return new TokenLeases.Lease(taken, remaining, 0);
        }

    }

    private static final ConsumptionHandler<Boolean> ALLOWED = (consumed, remaining, wait) -> consumed;

    record Grant(long atNanos, long tokens) {
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 20261202, 99 })
    void neverGrantsMoreThanTheSharedBoundPlusWhatTheInstancesHold(long seed) {
        Random random = new Random(seed);
        for (int schedule = 0; schedule < 60; schedule++) {
            long capacity = 1 + random.nextInt(20);
            long refillTokens = 1 + random.nextInt(10);
            long periodNanos = 1_000 + random.nextInt(100_000);
            int instances = 1 + random.nextInt(4);
            long leaseSize = 1 + random.nextInt(8);
            ManualClock clock = new ManualClock(random.nextLong());
            BucketSpec spec = new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos));
            SharedBucket shared = new SharedBucket(spec, clock);
            List<TokenLeases<String>> cluster = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                cluster.add(new TokenLeases<>(shared, leaseSize, 100, Long.MAX_VALUE, clock));
            }

            List<Grant> grants = new ArrayList<>();
            long elapsed = 0;
            for (int step = 0; step < 300; step++) {
                long advance = random.nextInt(4) == 0 ? random.nextInt((int) periodNanos * 2) : 0;
                clock.advance(advance);
                elapsed += advance;
                long tokens = 1 + random.nextInt((int) Math.min(3, capacity));
                if (cluster.get(random.nextInt(instances)).tryConsume("k", tokens, ALLOWED)) {
                    grants.add(new Grant(elapsed, tokens));
                }
            }

            long slack = instances * (leaseSize - 1);
            for (int from = 0; from < grants.size(); from++) {
                long sum = 0;
                for (int to = from; to < grants.size(); to++) {
                    sum += grants.get(to).tokens();
                    long window = grants.get(to).atNanos() - grants.get(from).atNanos();
                    long refill = BigInteger.valueOf(window)
                        .multiply(BigInteger.valueOf(refillTokens))
                        .divide(BigInteger.valueOf(periodNanos))
                        .longValueExact();
                    assertThat(sum)
                        .as("seed %d, schedule %d: %s, %d instances, lease %d, window %d ns", seed, schedule, spec,
                                instances, leaseSize, window)
                        .isLessThanOrEqualTo(capacity + refill + slack);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} instances, lease {1}")
    @CsvSource({ "1, 1", "1, 16", "3, 4", "3, 64", "8, 5" })
    void aBurstOnAFreshKeyGetsExactlyTheCapacityAcrossEveryInstance(int instances, long leaseSize) {
        ManualClock clock = new ManualClock(0);
        SharedBucket shared = new SharedBucket(new BucketSpec(50, 1, Duration.ofHours(1)), clock);
        List<TokenLeases<String>> cluster = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            cluster.add(new TokenLeases<>(shared, leaseSize, 100, Long.MAX_VALUE, clock));
        }

        long granted = 0;
        for (int request = 0; request < 50 + instances * 100; request++) {
            granted += cluster.get(request % instances).tryConsume("k", 1, ALLOWED) ? 1 : 0;
        }

        assertThat(granted).isEqualTo(50);
    }

    @Test
    void takesOneLeaseForManyDecisionsAndRemembersARefusalUntilTheSharedBucketRefills() {
        ManualClock clock = new ManualClock(0);
        SharedBucket shared = new SharedBucket(new BucketSpec(10, 10, Duration.ofSeconds(10)), clock);
        TokenLeases<String> leases = new TokenLeases<>(shared, 5, 100, Long.MAX_VALUE, clock);

        for (int i = 0; i < 10; i++) {
            assertThat(leases.tryConsume("k", 1, ALLOWED)).isTrue();
        }
        assertThat(shared.calls).hasValue(2); // two leases of 5

        assertThat(leases.tryConsume("k", 1, ALLOWED)).isFalse();
        int callsAtRefusal = shared.calls.get();
        for (int i = 0; i < 100; i++) {
            clock.advance(900_000_000); // 0.9 s of the 1 s a token takes
            long wait = leases.tryConsume("k", 1, (consumed, remaining, nanos) -> consumed ? 0L : nanos);
            assertThat(wait).isEqualTo(100_000_000);
            clock.advance(-900_000_000);
        }
        assertThat(shared.calls).hasValue(callsAtRefusal);

        clock.advance(1_000_000_000);
        assertThat(leases.tryConsume("k", 1, ALLOWED)).isTrue();
        assertThat(shared.calls).hasValue(callsAtRefusal + 1);
    }

    @Test
    void aLeaseOfOneDecidesEveryRequestInTheSharedBucket() {
        ManualClock clock = new ManualClock(0);
        SharedBucket shared = new SharedBucket(new BucketSpec(3, 1, Duration.ofSeconds(1)), clock);
        TokenLeases<String> leases = new TokenLeases<>(shared, 1, 100, Long.MAX_VALUE, clock);

        for (int i = 0; i < 3; i++) {
            assertThat(leases.tryConsume("k", 1, ALLOWED)).isTrue();
        }
        // nothing is held here
        assertThat(shared.bucket.tryConsume(1).consumed()).isFalse();
        assertThat(shared.calls).hasValue(3);
    }

    @Test
    void decidesKeysBeyondTheCapInTheSharedBucketAloneAndForgetsIdleKeys() {
        ManualClock clock = new ManualClock(0);
        SharedBucket shared = new SharedBucket(new BucketSpec(1_000, 1, Duration.ofHours(1)), clock);
        TokenLeases<String> leases = new TokenLeases<>(shared, 10, 2, 1_000, clock);

        assertThat(leases.tryConsume("a", 1, ALLOWED)).isTrue();
        assertThat(leases.tryConsume("b", 1, ALLOWED)).isTrue();
        assertThat(leases.tryConsume("c", 1, ALLOWED)).isTrue();
        assertThat(leases.size()).isEqualTo(2);
        // c took exactly one
        assertThat(shared.bucket.tryConsume(1).remainingTokens()).isEqualTo(1_000 - 10 - 10 - 1 - 1);

        clock.advance(999);
        leases.evictIdle();
        assertThat(leases.size()).isEqualTo(2);
        clock.advance(1);
        leases.evictIdle();
        assertThat(leases.size()).isZero();
    }

}
