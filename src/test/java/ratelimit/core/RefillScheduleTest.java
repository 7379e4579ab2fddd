package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RefillScheduleTest {

    private static RefillSchedule schedule(long capacity, long refillTokens, long periodNanos, long epochNanos) {
        return new RefillSchedule(new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos)),
                new ManualClock(epochNanos), epochNanos);
    }

    @ParameterizedTest(name = "{1} per {2} ns: a token is {3} ticks, a full bucket {4}")
    @CsvSource({
            // capacity, refillTokens, periodNanos, tokenTicks, capacityTicks
            // a whole number of ns per token: ticks are ns
            "10, 10, 1000000000, 100000000, 1000000000",
            // 333,333,333.3 ns per token: 3 ticks a ns
            "10, 3, 1000000000, 1000000000, 10000000000", "1, 1000000000, 1000000000, 1, 1", // one
                                                                                             // per
                                                                                             // ns
            // near the 2^62 bound
            "4611686018, 999999999, 1000000000, 1000000000, 4611686018000000000", })
    void measuresTokensInTicksOfAFractionOfANanosecond(long capacity, long refillTokens, long periodNanos,
            long tokenTicks, long capacityTicks) {
        RefillSchedule schedule = schedule(capacity, refillTokens, periodNanos, 0);

        assertThat(schedule.tokenTicks()).isEqualTo(tokenTicks);
        assertThat(schedule.capacityTicks()).isEqualTo(capacityTicks);
    }

    @ParameterizedTest(name = "state {0} ticks ahead of the clock -> deficit {1}")
    @CsvSource({
            // ahead, expectedDeficit (capacity 10 tokens at 3 per second = 10^10 ticks)
            "-9223372036854775808, 0", // far behind: full
            "-1, 0", // just behind: full
            "0, 0", // full exactly now
            "1, 1", "9999999999, 9999999999", "10000000000, 10000000000", // empty
            // ahead of any writer: a clock that went backwards reads as empty
            "10000000001, 10000000000",
            // so far ahead only a wrapped difference explains it: full
            "4611686018427387904, 10000000000", "4611686018427387905, 0", "9223372036854775807, 0", })
    void readsTheDeficitSafely(long ahead, long expectedDeficit) {
        RefillSchedule schedule = schedule(10, 3, 1_000_000_000, 0);
        long now = 123_456_789_012L;

        assertThat(schedule.deficit(now + ahead, now)).isEqualTo(expectedDeficit);
    }

    @ParameterizedTest(name = "{0} ticks at {1} per ns -> {2} ns")
    @CsvSource({ "1, 3, 1", "3, 3, 1", "4, 3, 2", "1000000000, 3, 333333334", "5, 1, 5", "0, 7, 0" })
    void roundsTheWaitUpToAWholeNanosecond(long ticks, long refillTokens, long expectedNanos) {
        RefillSchedule schedule = schedule(10, refillTokens, 1_000_000_000, 0);

        assertThat(schedule.nanosToAccrue(ticks)).isEqualTo(expectedNanos);
    }

    /**
     * Random specs, epochs and clock readings (fixed seed) against BigInteger arithmetic
     * modulo 2^64.
     */
    static Stream<Arguments> randomReadings() {
        SplittableRandom random = new SplittableRandom(20240607);
        return Stream.generate(() -> {
            long periodNanos = 1 + random.nextLong(random.nextBoolean() ? 1_000_000L : 86_400_000_000_000L);
            long refillTokens = 1 + random.nextLong(Math.min(periodNanos, 1_000_000L));
            return Arguments.of(refillTokens, periodNanos, random.nextLong(), random.nextLong());
        }).filter(RefillScheduleTest::isValidSpec).limit(40);
    }

    private static boolean isValidSpec(Arguments arguments) {
        try {
            new BucketSpec(1, (long) arguments.get()[0], Duration.ofNanos((long) arguments.get()[1]));
            return true;
        }
        catch (IllegalArgumentException rejected) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("randomReadings")
    void countsTicksExactlyModulo2To64EvenAcrossTheClockWrap(long refillTokens, long periodNanos, long epoch,
            long nanoTime) {
        RefillSchedule schedule = schedule(1, refillTokens, periodNanos, epoch);
        BigInteger tokensPerStep = BigInteger.valueOf(refillTokens)
            .divide(BigInteger.valueOf(refillTokens).gcd(BigInteger.valueOf(periodNanos)));
        BigInteger elapsed = BigInteger.valueOf(nanoTime).subtract(BigInteger.valueOf(epoch));

        BigInteger expected = elapsed.multiply(tokensPerStep).mod(BigInteger.TWO.pow(64));
        assertThat(new BigInteger(Long.toUnsignedString(schedule.ticksAt(nanoTime)))).isEqualTo(expected);
        // one nanosecond later is exactly tokensPerStep ticks later, whatever the values
        // wrapped through
        assertThat(schedule.ticksAt(nanoTime + 1) - schedule.ticksAt(nanoTime))
            .isEqualTo(tokensPerStep.longValueExact());
    }

}
