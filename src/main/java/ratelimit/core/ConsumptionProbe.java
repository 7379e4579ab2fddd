package ratelimit.core;

/**
 * The outcome of one {@link TokenBucket#tryConsume(long)} decision.
 *
 * <p>
 * A small record per call is the price of a self-explaining result. JDK 17's escape
 * analysis removes it only where one outcome dominates a call site; a bucket that
 * alternates between granting and refusing, and {@code KeyedBuckets}, allocate 32 bytes
 * per decision for it (measured, docs/benchmarks.md). Hot paths pass a
 * {@link ConsumptionHandler} instead and allocate nothing.
 *
 * @param consumed whether the tokens were taken
 * @param remainingTokens whole tokens left in the bucket after this decision
 * @param nanosToWaitForRefill 0 when consumed; otherwise the exact nanoseconds until the
 * bucket will hold the requested tokens, assuming nobody else consumes meanwhile
 */
public record ConsumptionProbe(boolean consumed, long remainingTokens, long nanosToWaitForRefill) {

    public ConsumptionProbe {
        if (remainingTokens < 0 || nanosToWaitForRefill < 0 || consumed == (nanosToWaitForRefill > 0)) {
            throw new IllegalArgumentException("inconsistent probe: consumed=" + consumed + ", remainingTokens="
                    + remainingTokens + ", nanosToWaitForRefill=" + nanosToWaitForRefill);
        }
    }
}
