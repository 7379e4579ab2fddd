package ratelimit.core;

import java.time.Duration;

/**
 * What a bucket allows: it holds at most {@code capacity} tokens and gains
 * {@code refillTokens} every {@code refillPeriod}, spread evenly (one token every
 * {@code refillPeriod / refillTokens}, which need not be a whole number of nanoseconds).
 *
 * <p>
 * The bounds keep every computation in {@link TokenBucket} exact in 64-bit integers:
 * <ul>
 * <li>{@code 1 <= capacity <= 2^40};</li>
 * <li>{@code refillTokens >= 1} and at most one token per nanosecond;</li>
 * <li>{@code refillPeriod} positive and at most {@code Long.MAX_VALUE} nanoseconds (~292
 * years);</li>
 * <li>the rate, reduced to lowest terms ({@code tokensPerStep / stepNanos}), has a
 * product of its terms that fits in a {@code long} (only a prime-ish token count over a
 * long period can fail this);</li>
 * <li>refilling from empty to full takes at most 2^62 ns (~146 years);</li>
 * <li>{@code capacity * stepNanos} (a full bucket in {@link RefillSchedule}'s ticks,
 * which keep fractions of a token exactly) is at most 2^62; with a whole number of
 * nanoseconds per token this is the previous bound, otherwise it is that bound divided by
 * {@code tokensPerStep}.</li>
 * </ul>
 */
public record BucketSpec(long capacity, long refillTokens, Duration refillPeriod) {

    public static final long MAX_CAPACITY = 1L << 40;
    static final long MAX_FULL_REFILL_NANOS = 1L << 62;
    static final long MAX_CAPACITY_TICKS = 1L << 62;

    public BucketSpec {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw invalid("capacity must be between 1 and " + MAX_CAPACITY + " tokens but was " + capacity);
        }
        if (refillTokens < 1) {
            throw invalid("refillTokens must be at least 1 but was " + refillTokens);
        }
        if (refillPeriod == null || refillPeriod.isNegative() || refillPeriod.isZero()) {
            throw invalid("refillPeriod must be a positive duration but was " + refillPeriod);
        }
        long periodNanos = nanosOf(refillPeriod);
        if (refillTokens > periodNanos) {
            throw invalid("refill rate " + refillTokens + " per " + refillPeriod
                    + " exceeds the supported maximum of one token per nanosecond");
        }
        long gcd = gcd(refillTokens, periodNanos);
        if (Math.multiplyHigh(refillTokens / gcd, periodNanos / gcd) != 0
                || (refillTokens / gcd) * (periodNanos / gcd) < 0) {
            throw invalid("refill rate " + refillTokens + " per " + refillPeriod
                    + " cannot be computed exactly in 64 bits; use a rounder token count or period");
        }
        if (!fullRefillFitsBound(capacity, refillTokens / gcd, periodNanos / gcd)) {
            throw invalid("refilling " + capacity + " tokens at " + refillTokens + " per " + refillPeriod
                    + " takes longer than the supported maximum of 2^62 ns (~146 years)");
        }
        long capacityTicks = capacity * (periodNanos / gcd);
        if (Math.multiplyHigh(capacity, periodNanos / gcd) != 0 || capacityTicks < 0
                || capacityTicks > MAX_CAPACITY_TICKS) {
            throw invalid(capacity + " tokens at " + refillTokens + " per " + refillPeriod
                    + " cannot be tracked exactly in 64 bits (capacity x period / gcd(refillTokens, period) exceeds 2^62);"
                    + " use a rounder token count or period");
        }
    }

    public long refillPeriodNanos() {
        return refillPeriod.toNanos();
    }

    /**
     * Numerator of the rate in lowest terms: exactly this many tokens appear every
     * {@link #stepNanos()}.
     */
    public long tokensPerStep() {
        return refillTokens / gcd(refillTokens, refillPeriodNanos());
    }

    /** Denominator of the rate in lowest terms. */
    public long stepNanos() {
        return refillPeriodNanos() / gcd(refillTokens, refillPeriodNanos());
    }

    /** A full bucket in ticks of 1/tokensPerStep ns: capacity x stepNanos. */
    long capacityTicks() {
        return capacity * stepNanos();
    }

    private static long nanosOf(Duration period) {
        try {
            return period.toNanos();
        }
        catch (ArithmeticException tooLong) {
            throw invalid("refillPeriod must be at most " + Long.MAX_VALUE + " ns but was " + period);
        }
    }

    /**
     * ceil(capacity * stepNanos / tokensPerStep) <= MAX_FULL_REFILL_NANOS, without
     * overflowing on the way.
     */
    private static boolean fullRefillFitsBound(long capacity, long tokensPerStep, long stepNanos) {
        try {
            long wholeSteps = Math.multiplyExact(capacity / tokensPerStep, stepNanos);
            long partialStep = -Math.floorDiv(-(capacity % tokensPerStep) * stepNanos, tokensPerStep);
            return Math.addExact(wholeSteps, partialStep) <= MAX_FULL_REFILL_NANOS;
        }
        catch (ArithmeticException overflow) {
            return false;
        }
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }

    private static IllegalArgumentException invalid(String message) {
        return new IllegalArgumentException("Invalid BucketSpec: " + message);
    }
}
