package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    private static TokenBucket bucket(ManualClock clock, long capacity, long refillTokens, long periodNanos) {
        return new TokenBucket(new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos)), clock);
    }

    private static void drain(TokenBucket bucket) {
        assertThat(bucket.tryConsume(bucket.availableTokens()).consumed()).isTrue();
        assertThat(bucket.availableTokens()).isZero();
    }

    @ParameterizedTest
    @CsvSource({ "1, 1, 1", "10, 3, 1000000000", "1099511627776, 1099511627776, 1099511627776" })
    void startsFull(long capacity, long refillTokens, long periodNanos) {
        assertThat(bucket(new ManualClock(42), capacity, refillTokens, periodNanos).availableTokens())
            .isEqualTo(capacity);
    }

    @ParameterizedTest(name = "{0} cap, {1} per {2} ns, {3} ns after draining -> {4}")
    @CsvSource({
            // capacity, refillTokens, periodNanos, advanceNanos, expectedTokens
            "10, 10, 1000000000, 1, 0", // partial refill: no whole token yet
            "10, 10, 1000000000, 99999999, 0", // one nanosecond short of the boundary
            "10, 10, 1000000000, 100000000, 1", // exact boundary
            // partial: half a token is kept, not paid out
            "10, 10, 1000000000, 250000000, 2", "10, 3, 1000000000, 333333333, 0", // 333
                                                                                   // 333
                                                                                   // 333.33
                                                                                   // ns
                                                                                   // per
                                                                                   // token
            "10, 3, 1000000000, 333333334, 1", "10, 3, 1000000000, 666666667, 2", "10, 3, 1000000000, 1000000000, 3",
            "10, 10, 1000000000, 1000000000, 10", // refilled exactly to capacity
            "10, 10, 1000000000, 5000000000, 10", // capped at capacity
            "5, 1000000000, 1000000000, 5000, 5", // 1 token/ns, capped
    })
    void refillsWholeTokensOnly(long capacity, long refillTokens, long periodNanos, long advanceNanos,
            long expectedTokens) {
        ManualClock clock = new ManualClock(0);
        TokenBucket bucket = bucket(clock, capacity, refillTokens, periodNanos);
        drain(bucket);

        clock.advance(advanceNanos);

        assertThat(bucket.availableTokens()).isEqualTo(expectedTokens);
    }

    @ParameterizedTest(name = "{0} cap, {1} per {2} ns: {4} steps of {3} ns == one step")
    @CsvSource({
            // capacity, refillTokens, periodNanos, stepNanos, steps
            "1000, 3, 1000, 1, 100000", "1000, 7, 999983, 13, 50000", "100, 1, 3, 1, 299",
            "50, 10, 1000000000, 333333333, 12", "100000, 999999, 1000000007, 1, 100000", })
    void doesNotDriftWhenObservedInManyTinySteps(long capacity, long refillTokens, long periodNanos, long stepNanos,
            int steps) {
        ManualClock tinyStepsClock = new ManualClock(-12345);
        ManualClock oneStepClock = new ManualClock(Long.MAX_VALUE - 777);
        TokenBucket tinySteps = bucket(tinyStepsClock, capacity, refillTokens, periodNanos);
        TokenBucket oneStep = bucket(oneStepClock, capacity, refillTokens, periodNanos);
        drain(tinySteps);
        drain(oneStep);

        long grantedInTinySteps = 0;
        for (int i = 0; i < steps; i++) {
            tinyStepsClock.advance(stepNanos);
            // take every token the moment it appears
            while (tinySteps.availableTokens() > 0) {
                assertThat(tinySteps.tryConsume(1).consumed()).isTrue();
                grantedInTinySteps++;
            }
        }
        oneStepClock.advance(stepNanos * steps);

        // exact: all these tables stay below 2^63
        long expected = stepNanos * steps * refillTokens / periodNanos;
        assertThat(expected).isLessThanOrEqualTo(capacity);
        assertThat(grantedInTinySteps).isEqualTo(expected);
        assertThat(oneStep.availableTokens()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "wait for {4} after draining and {3} ns -> {5} ns")
    @CsvSource({
            // capacity, refillTokens, periodNanos, advanceAfterDrain, request,
            // expectedWait
            "10, 10, 1000000000, 0, 1, 100000000", "10, 10, 1000000000, 0, 3, 300000000",
            "10, 10, 1000000000, 0, 10, 1000000000", "10, 10, 1000000000, 30000000, 1, 70000000",
            // 1 token there, 2 more at 200 ms and 300 ms
            "10, 10, 1000000000, 150000000, 3, 150000000", "10, 3, 1000000000, 0, 1, 333333334",
            "10, 3, 1000000000, 0, 2, 666666667", "10, 3, 1000000000, 0, 3, 1000000000",
            "10, 3, 1000000000, 100, 1, 333333234", "10, 3, 1000000000, 333333334, 2, 333333333",
            "1, 1, 86400000000000, 1, 1, 86399999999999", })
    void reportsTheExactWaitUntilTheRequestCanSucceed(long capacity, long refillTokens, long periodNanos,
            long advanceAfterDrain, long request, long expectedWait) {
        ManualClock clock = new ManualClock(Long.MIN_VALUE + 5);
        TokenBucket bucket = bucket(clock, capacity, refillTokens, periodNanos);
        drain(bucket);
        clock.advance(advanceAfterDrain);
        long tokensBefore = bucket.availableTokens();

        ConsumptionProbe rejected = bucket.tryConsume(request);
        assertThat(rejected).isEqualTo(new ConsumptionProbe(false, tokensBefore, expectedWait));

        clock.advance(expectedWait - 1);
        assertThat(bucket.tryConsume(request)).isEqualTo(new ConsumptionProbe(false, request - 1, 1));

        clock.advance(1);
        assertThat(bucket.tryConsume(request)).isEqualTo(new ConsumptionProbe(true, 0, 0));
    }

    @ParameterizedTest
    @CsvSource({ "10, 1, 9", "10, 4, 6", "10, 10, 0" })
    void successfulProbeReportsWhatIsLeft(long capacity, long request, long expectedRemaining) {
        TokenBucket bucket = bucket(new ManualClock(0), capacity, 1, SECOND);

        assertThat(bucket.tryConsume(request)).isEqualTo(new ConsumptionProbe(true, expectedRemaining, 0));
        assertThat(bucket.availableTokens()).isEqualTo(expectedRemaining);
    }

    static Stream<Arguments> hugeIdleGaps() {
        long[] clockStarts = { 0, -1, Long.MAX_VALUE - 3, Long.MIN_VALUE, Long.MIN_VALUE + 1 };
        long[] gaps = { Long.MAX_VALUE / 2, (1L << 62) + 12_345, Long.MAX_VALUE - (1L << 42) };
        return Stream.of(clockStarts)
            .flatMapToLong(java.util.Arrays::stream)
            .boxed()
            .flatMap(start -> Stream.of(gaps)
                .flatMapToLong(java.util.Arrays::stream)
                .mapToObj(gap -> Arguments.of(start, gap)));
    }

    @ParameterizedTest(name = "clock starts at {0}, idle for {1} ns")
    @MethodSource("hugeIdleGaps")
    void survivesHugeIdleGapsAndClockWrapAround(long clockStart, long idleNanos) {
        ManualClock clock = new ManualClock(clockStart);
        TokenBucket bucket = bucket(clock, 10, 3, SECOND);
        drain(bucket);

        clock.advance(idleNanos);
        assertThat(bucket.availableTokens()).isEqualTo(10);
        drain(bucket);

        // afterwards the schedule still ticks exactly: a probe's wait is honoured to the
        // nanosecond
        long wait = bucket.tryConsume(1).nanosToWaitForRefill();
        assertThat(wait).isBetween(1L, 333_333_334L);
        clock.advance(wait - 1);
        assertThat(bucket.tryConsume(1).consumed()).isFalse();
        clock.advance(1);
        assertThat(bucket.tryConsume(1).consumed()).isTrue();
        clock.advance(SECOND);
        assertThat(bucket.availableTokens()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(longs = { Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, -1, 0 })
    void refillsAcrossTheClockWrap(long clockStart) {
        // wraps in the middle of the test
        ManualClock clock = new ManualClock(clockStart - 250_000_000L);
        TokenBucket bucket = bucket(clock, 10, 10, SECOND);
        drain(bucket);

        for (int token = 1; token <= 10; token++) {
            clock.advance(99_999_999L);
            assertThat(bucket.availableTokens()).isEqualTo(token - 1);
            clock.advance(1);
            assertThat(bucket.availableTokens()).isEqualTo(token);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = { 1, 1_000, Long.MAX_VALUE / 4 })
    void aClockThatGoesBackwardsGrantsNothingExtra(long backwardsNanos) {
        ManualClock clock = new ManualClock(1_000);
        TokenBucket bucket = bucket(clock, 10, 10, SECOND);
        drain(bucket);
        clock.advance(500_000_000L);
        assertThat(bucket.tryConsume(2).consumed()).isTrue(); // 3 left

        clock.advance(-backwardsNanos);
        assertThat(bucket.availableTokens()).isLessThanOrEqualTo(3);

        clock.advance(backwardsNanos + 100_000_000L);
        assertThat(bucket.availableTokens()).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource({ "0, at least 1 token", "-1, at least 1 token", "11, can never be satisfied",
            "9223372036854775807, can never be satisfied" })
    void rejectsRequestsThatCanNeverBeSatisfied(long request, String reason) {
        TokenBucket bucket = bucket(new ManualClock(0), 10, 1, SECOND);

        assertThatIllegalArgumentException().isThrownBy(() -> bucket.tryConsume(request)).withMessageContaining(reason);
        assertThat(bucket.availableTokens()).isEqualTo(10);
    }

}
