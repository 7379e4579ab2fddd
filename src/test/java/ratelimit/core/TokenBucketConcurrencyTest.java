package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Eight consumers and one clock-advancing thread on a two-core machine. The accounting is
 * exact, so the assertions are equalities and bounds on token counts; the timeout only
 * guards against a hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TokenBucketConcurrencyTest {

    private static final int CONSUMERS = 8;

    @ParameterizedTest(name = "cap {0}, {1} per {2} ns, {3} steps of {4} ns")
    @CsvSource({
            // capacity, refillTokens, periodNanos, steps, stepNanos
            "100, 10, 1000, 2000, 1000", "7, 3, 1000000000, 3000, 333333333", "1, 1, 1, 20000, 1", })
    void grantsExactlyCapacityPlusRefillWhenDemandExceedsSupply(long capacity, long refillTokens, long periodNanos,
            int steps, long stepNanos) throws InterruptedException {
        // wraps during the run
        ManualClock clock = new ManualClock(Long.MAX_VALUE - 1_000);
        TokenBucket bucket = new TokenBucket(new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos)),
                clock);
        long mostTokensPerStep = -Math.floorDiv(-stepNanos * refillTokens, periodNanos);
        // A step of a fractional number of tokens leaves a fraction in the level, and a
        // full bucket drops it;
        // one whole token of slack keeps the level + the step below capacity.
        long slack = stepNanos * refillTokens % periodNanos == 0 ? 0 : 1;
        AtomicBoolean clockDone = new AtomicBoolean();
        AtomicLongArray granted = new AtomicLongArray(CONSUMERS);

        List<Runnable> tasks = new ArrayList<>();
        tasks.add(() -> {
            try {
                for (int step = 0; step < steps; step++) {
                    // only advance when the new tokens fit, so none spill and supply is
                    // exactly known
                    while (bucket.availableTokens() + mostTokensPerStep + slack > capacity) {
                        Thread.onSpinWait();
                    }
                    clock.advance(stepNanos);
                }
            }
            finally {
                clockDone.set(true); // even on failure, so the consumers stop
            }
        });
        for (int consumer = 0; consumer < CONSUMERS; consumer++) {
            int id = consumer;
            tasks.add(() -> {
                // stop only once the clock is done and everything it minted has been
                // taken
                while (!(clockDone.get() && bucket.availableTokens() == 0)) {
                    if (bucket.tryConsume(1).consumed()) {
                        granted.incrementAndGet(id);
                    }
                }
            });
        }
        Concurrently.run(tasks);

        long refilled = (long) steps * stepNanos * refillTokens / periodNanos;
        assertThat(total(granted)).isEqualTo(capacity + refilled);
    }

    @ParameterizedTest(name = "cap {0}, {1} per {2} ns, {3} steps of {4} ns, {5} tries per consumer")
    @CsvSource({
            // capacity, refillTokens, periodNanos, steps, stepNanos, triesPerConsumer
            "100, 10, 1000, 5000, 700, 20000", "10, 3, 1000000000, 2000, 1000000000, 20000",
            "50, 1, 1, 10000, 3, 20000", })
    void neverGrantsMoreThanCapacityPlusRefillWhileTheClockRunsFreely(long capacity, long refillTokens,
            long periodNanos, int steps, long stepNanos, int triesPerConsumer) throws InterruptedException {
        ManualClock clock = new ManualClock(-5_000);
        TokenBucket bucket = new TokenBucket(new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos)),
                clock);
        AtomicLongArray granted = new AtomicLongArray(CONSUMERS);
        AtomicLongArray requested = new AtomicLongArray(CONSUMERS);

        List<Runnable> tasks = new ArrayList<>();
        tasks.add(() -> {
            for (int step = 0; step < steps; step++) {
                clock.advance(stepNanos);
            }
        });
        for (int consumer = 0; consumer < CONSUMERS; consumer++) {
            int id = consumer;
            tasks.add(() -> {
                for (int attempt = 0; attempt < triesPerConsumer; attempt++) {
                    long tokens = Math.min(capacity, 1 + (attempt + id) % 3);
                    requested.addAndGet(id, tokens);
                    ConsumptionProbe probe = bucket.tryConsume(tokens);
                    if (probe.consumed()) {
                        granted.addAndGet(id, tokens);
                    }
                    else {
                        assertThat(probe.nanosToWaitForRefill()).isPositive();
                    }
                }
            });
        }
        Concurrently.run(tasks);

        long refilled = (long) steps * stepNanos * refillTokens / periodNanos;
        assertThat(total(granted)).isPositive()
            .isLessThanOrEqualTo(capacity + refilled)
            .isLessThanOrEqualTo(total(requested));
    }

    private static long total(AtomicLongArray perThread) {
        long sum = 0;
        for (int i = 0; i < perThread.length(); i++) {
            sum += perThread.get(i);
        }
        return sum;
    }

}
