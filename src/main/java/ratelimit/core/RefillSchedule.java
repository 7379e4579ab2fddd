package ratelimit.core;

/**
 * Time in ticks, the unit in which a {@link TokenBucket} keeps its state without ever
 * rounding: a tick is {@code 1 / tokensPerStep} ns, so a nanosecond adds
 * {@code tokensPerStep} ticks to a bucket's level and one token costs {@code stepNanos}
 * ticks (the rate in lowest terms, see {@link BucketSpec}). A full bucket holds
 * {@code capacity * stepNanos} ticks, at most 2^62.
 *
 * <p>
 * Ticks are counted from the epoch modulo 2^64: {@code (now - epoch) * tokensPerStep} in
 * plain {@code long} arithmetic is exact modulo 2^64 even after the clock or the product
 * wraps, and only differences of ticks are ever used. A difference is read as a signed
 * number, which is right as long as the true difference lies within 2^63 of zero;
 * {@link #deficit} says what happens beyond that.
 */
final class RefillSchedule {

    /**
     * Ahead of the clock by more than this, a bucket's state can only have been left
     * untouched for ages.
     */
    private static final long AGES_AHEAD = 1L << 62;

    private final long tokensPerStep;

    private final long tokenTicks;

    private final long capacityTicks;

    private final NanoClock clock;

    private final long epochNanos;

    RefillSchedule(BucketSpec spec, NanoClock clock, long epochNanos) {
        this.tokensPerStep = spec.tokensPerStep();
        this.tokenTicks = spec.stepNanos();
        this.capacityTicks = spec.capacityTicks();
        this.clock = clock;
        this.epochNanos = epochNanos;
    }

    /** The current instant in ticks since the epoch, modulo 2^64. */
    long ticksNow() {
        return ticksAt(clock.nanoTime());
    }

    long ticksAt(long nanoTime) {
        return (nanoTime - epochNanos) * tokensPerStep;
    }

    /** What one token costs. */
    long tokenTicks() {
        return tokenTicks;
    }

    long capacityTicks() {
        return capacityTicks;
    }

    /**
     * Ticks missing from a full bucket whose state says it will be full at
     * {@code fullAtTicks}, at {@code nowTicks}: between 0 (full) and the capacity
     * (empty).
     *
     * <p>
     * A state behind the clock is a full bucket: refill while full is lost, as in any
     * token bucket. A state up to the capacity ahead is the exact deficit. A state
     * further ahead cannot have been written at or before {@code now}, so either the
     * clock reads earlier than the writer's clock did (a clock that went backwards):
     * counted as empty, so that it grants nothing extra; or, beyond {@code 2^62} ticks
     * ahead, the state was left untouched for more than {@code 2^63} ticks and the
     * difference wrapped: counted as full, which it is. Only a state left untouched for
     * {@code 3 * 2^62} to {@code 2^64} ticks (at least 438 years divided by
     * tokensPerStep) is misread, as emptier than it is: it then refuses more, never
     * grants more. That is centuries for ordinary rates but about 14 s for tokensPerStep
     * ~ 10^9 (999,999,999 per second); {@code KeyedBuckets}' sweeps drop full buckets
     * sooner for any tokensPerStep below about 4 x 10^8.
     */
    long deficit(long fullAtTicks, long nowTicks) {
        long ahead = fullAtTicks - nowTicks;
        if (ahead <= 0 || ahead > AGES_AHEAD) {
            return 0;
        }
        return Math.min(ahead, capacityTicks);
    }

    /**
     * Whole nanoseconds until {@code ticks} more have accrued: ceil(ticks /
     * tokensPerStep).
     */
    long nanosToAccrue(long ticks) {
        return -Math.floorDiv(-ticks, tokensPerStep);
    }

}
