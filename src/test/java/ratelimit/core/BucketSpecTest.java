package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BucketSpecTest {

    static Stream<Arguments> validSpecs() {
        return Stream.of(Arguments.of(1, 1, Duration.ofNanos(1)), Arguments.of(10, 3, Duration.ofSeconds(1)),
                // exactly one token per ns
                Arguments.of(100, 1_000_000_000, Duration.ofSeconds(1)), Arguments.of(1_000, 7, Duration.ofDays(1)),
                Arguments.of(BucketSpec.MAX_CAPACITY, BucketSpec.MAX_CAPACITY,
                        Duration.ofNanos(BucketSpec.MAX_CAPACITY)),
                // refill bound, inclusive
                Arguments.of(1, 1, Duration.ofNanos(BucketSpec.MAX_FULL_REFILL_NANOS)),
                // just within 2^62 ticks
                Arguments.of(4_611_686_018L, 999_999_999, Duration.ofSeconds(1)));
    }

    @ParameterizedTest
    @MethodSource("validSpecs")
    void acceptsSaneSpecs(long capacity, long refillTokens, Duration period) {
        BucketSpec spec = new BucketSpec(capacity, refillTokens, period);

        assertThat(spec.refillPeriodNanos()).isEqualTo(period.toNanos());
        assertThat(spec.tokensPerStep() * period.toNanos()).isEqualTo(refillTokens * spec.stepNanos());
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(Arguments.of(0, 1, Duration.ofSeconds(1), "capacity must be between 1 and"),
                Arguments.of(-5, 1, Duration.ofSeconds(1), "capacity must be between 1 and"),
                Arguments.of(BucketSpec.MAX_CAPACITY + 1, 1, Duration.ofSeconds(1), "capacity must be between 1 and"),
                Arguments.of(10, 0, Duration.ofSeconds(1), "refillTokens must be at least 1"),
                Arguments.of(10, -1, Duration.ofSeconds(1), "refillTokens must be at least 1"),
                Arguments.of(10, 1, null, "refillPeriod must be a positive duration"),
                Arguments.of(10, 1, Duration.ZERO, "refillPeriod must be a positive duration"),
                Arguments.of(10, 1, Duration.ofNanos(-1), "refillPeriod must be a positive duration"),
                Arguments.of(10, 1, Duration.ofDays(365L * 300), "refillPeriod must be at most"),
                Arguments.of(10, 2, Duration.ofNanos(1), "exceeds the supported maximum of one token per nanosecond"),
                // 1e9+7 is prime and shares no factor with 2^63-1, so the reduced terms
                // multiply past 2^63
                Arguments.of(10, 1_000_000_007, Duration.ofNanos(Long.MAX_VALUE), "cannot be computed exactly"),
                Arguments.of(1_000, 1, Duration.ofDays(365L * 200), "takes longer than the supported maximum"),
                Arguments.of(2, 1, Duration.ofNanos(BucketSpec.MAX_FULL_REFILL_NANOS), "takes longer than"),
                // refills in ~5 s, but keeping fractions of a token exactly needs 5e9 x
                // 1e9 ticks > 2^62
                Arguments.of(5_000_000_000L, 999_999_999, Duration.ofSeconds(1), "cannot be tracked exactly"));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void rejectsInsaneSpecsWithAClearMessage(long capacity, long refillTokens, Duration period, String reason) {
        assertThatIllegalArgumentException().isThrownBy(() -> new BucketSpec(capacity, refillTokens, period))
            .withMessageStartingWith("Invalid BucketSpec: ")
            .withMessageContaining(reason);
    }

}
