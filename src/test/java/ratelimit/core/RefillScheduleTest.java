package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RefillScheduleTest {

    private static RefillSchedule schedule(long capacity, long refillTokens, long periodNanos) {
        return new RefillSchedule(new BucketSpec(capacity, refillTokens, Duration.ofNanos(periodNanos)),
                new ManualClock(0), 0);
    }

    @ParameterizedTest(name = "{1} per {2} ns after {3} ns -> {4} minted")
    @CsvSource({
            // capacity, refillTokens, periodNanos, elapsedNanos, expectedMinted
            "10, 10, 1000000000, 0, 0",
            "10, 10, 1000000000, 99999999, 0",
            "10, 10, 1000000000, 100000000, 1",
            "10, 10, 1000000000, 1000000000, 10",
            "10, 3, 1000000000, 333333333, 0",
            "10, 3, 1000000000, 333333334, 1",
            "10, 3, 1000000000, 666666666, 1",
            "10, 3, 1000000000, 666666667, 2",
            "10, 3, 1000000000, 999999999, 2",
            "10, 3, 1000000000, 1000000000, 3",
            "1, 1, 1, 4611686018427387903, 4611686018427387903",
            "1, 7, 86400000000000, 4611686018427387903, 373631",
            "1, 1, 3, 9223372036854775807, 3074457345618258602",
    })
    void mintsTheFloorOfElapsedTimesRate(long capacity, long refillTokens, long periodNanos,
                                         long elapsedNanos, long expectedMinted) {
        assertThat(schedule(capacity, refillTokens, periodNanos).tokensMintedBy(elapsedNanos))
                .isEqualTo(expectedMinted);
    }

    @ParameterizedTest(name = "token {3} of {1} per {2} ns, asked at {4} ns -> {5} ns")
    @CsvSource({
            // capacity, refillTokens, periodNanos, tokenIndex, elapsedNanos, expectedWait
            "10, 10, 1000000000, 1, 0, 100000000",
            "10, 10, 1000000000, 1, 100000000, 0",
            "10, 10, 1000000000, 3, 150000000, 150000000",
            "10, 3, 1000000000, 1, 0, 333333334",
            "10, 3, 1000000000, 2, 0, 666666667",
            "10, 3, 1000000000, 3, 0, 1000000000",
            "10, 3, 1000000000, 3, 999999999, 1",
            "10, 3, 1000000000, 0, 0, 0",
            "10, 3, 1000000000, -10, 0, 0",
    })
    void waitsExactlyUntilTheTokenIsMinted(long capacity, long refillTokens, long periodNanos,
                                           long tokenIndex, long elapsedNanos, long expectedWait) {
        assertThat(schedule(capacity, refillTokens, periodNanos).nanosUntilMinted(tokenIndex, elapsedNanos))
                .isEqualTo(expectedWait);
    }

    /** Random specs (fixed seed) against a BigInteger reference, including elapsed times near 2^63. */
    static Stream<Arguments> randomSchedules() {
        SplittableRandom random = new SplittableRandom(20240607);
        return Stream.generate(() -> {
            long periodNanos = 1 + random.nextLong(random.nextBoolean() ? 1_000_000L : 86_400_000_000_000L);
            long refillTokens = 1 + random.nextLong(Math.min(periodNanos, 1_000_000L));
            long capacity = 1 + random.nextLong(10_000);
            long elapsed = random.nextBoolean() ? random.nextLong(1L << 62) : Long.MAX_VALUE - (1L << 41);
            return Arguments.of(capacity, refillTokens, periodNanos, elapsed);
        }).filter(RefillScheduleTest::isValidSpec).limit(40);
    }

    @ParameterizedTest
    @MethodSource("randomSchedules")
    void matchesExactRationalArithmetic(long capacity, long refillTokens, long periodNanos, long elapsed) {
        RefillSchedule schedule = schedule(capacity, refillTokens, periodNanos);
        BigInteger rate = BigInteger.valueOf(refillTokens);
        BigInteger period = BigInteger.valueOf(periodNanos);

        long minted = schedule.tokensMintedBy(elapsed);
        assertThat(BigInteger.valueOf(minted))
                .isEqualTo(BigInteger.valueOf(elapsed).multiply(rate).divide(period));

        for (long ahead = 1; ahead <= capacity; ahead += 1 + ahead / 3) {
            long token = minted + ahead;
            BigInteger mintedAt = new java.math.BigDecimal(BigInteger.valueOf(token).multiply(period))
                    .divide(new java.math.BigDecimal(rate), 0, RoundingMode.CEILING).toBigIntegerExact();
            long wait = schedule.nanosUntilMinted(token, elapsed);
            assertThat(BigInteger.valueOf(wait)).isEqualTo(mintedAt.subtract(BigInteger.valueOf(elapsed)));
        }
    }

    private static boolean isValidSpec(Arguments arguments) {
        Object[] a = arguments.get();
        try {
            new BucketSpec((long) a[0], (long) a[1], Duration.ofNanos((long) a[2]));
            return true;
        } catch (IllegalArgumentException rejected) {
            return false;
        }
    }
}
