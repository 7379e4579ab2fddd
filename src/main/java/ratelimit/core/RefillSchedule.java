package ratelimit.core;

/**
 * The exact timetable on which tokens appear: token {@code k} (k = 1, 2, ...) is minted at
 * {@code epoch + ceil(k * stepNanos / tokensPerStep)}.
 *
 * <p>The number of tokens minted is a pure function of the time elapsed since the epoch, so it cannot drift: a
 * thousand tiny observations and one large one see the same count, and no fractional token is ever rounded
 * away (the remainder simply stays in the elapsed time). Buckets that share a schedule share the epoch and so
 * mint on the same instants.
 *
 * <p>Valid for 2^63 - 2^41 ns (~292 years) after the epoch; elapsed time is always the wrap-safe difference
 * {@code now - epoch}, so the absolute clock value never matters.
 */
final class RefillSchedule {

    private final long tokensPerStep;
    private final long stepNanos;
    private final NanoClock clock;
    private final long epochNanos;

    RefillSchedule(BucketSpec spec, NanoClock clock, long epochNanos) {
        this.tokensPerStep = spec.tokensPerStep();
        this.stepNanos = spec.stepNanos();
        this.clock = clock;
        this.epochNanos = epochNanos;
    }

    /** Nanoseconds since the epoch; a clock reading before the epoch counts as the epoch itself. */
    long elapsedNanos() {
        return Math.max(0, clock.nanoTime() - epochNanos);
    }

    /**
     * floor(elapsed * tokensPerStep / stepNanos). Splitting elapsed into whole steps and a remainder keeps each
     * product in range: the remainder product is below tokensPerStep * stepNanos (checked by BucketSpec), and
     * the result never exceeds elapsed because the rate is at most one token per nanosecond.
     */
    long tokensMintedBy(long elapsedNanos) {
        if (elapsedNanos <= 0) {
            return 0;
        }
        long wholeSteps = elapsedNanos / stepNanos;
        long intoStep = elapsedNanos % stepNanos;
        return wholeSteps * tokensPerStep + intoStep * tokensPerStep / stepNanos;
    }

    /**
     * Nanoseconds from {@code elapsedNanos} until token {@code tokenIndex} is minted; 0 if it already has been.
     *
     * <p>Token k is minted at ceil(k * stepNanos / tokensPerStep), computed as whole steps plus a partial step.
     * For a token far in the future the whole-step product may exceed a long, but callers only ask for tokens at
     * most a full refill (&lt;= 2^62 ns) ahead, so the true difference fits and two's-complement wrap-around in
     * the intermediate sum cancels out exactly.
     */
    long nanosUntilMinted(long tokenIndex, long elapsedNanos) {
        if (tokenIndex <= tokensMintedBy(elapsedNanos)) {
            return 0;
        }
        long wholeSteps = tokenIndex / tokensPerStep;
        long partialStepNanos = -Math.floorDiv(-(tokenIndex % tokensPerStep) * stepNanos, tokensPerStep);
        long mintedAt = wholeSteps * stepNanos + partialStepNanos;
        return mintedAt - elapsedNanos;
    }
}
