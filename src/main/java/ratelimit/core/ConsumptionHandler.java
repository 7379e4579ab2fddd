package ratelimit.core;

/**
 * Receives the outcome of one consumption decision as primitives. A caller that turns the
 * outcome into its own result (an HTTP decision, a yes or no) passes itself, or a lambda
 * that captures nothing, and so the decision allocates nothing: no
 * {@link ConsumptionProbe} is built on the way.
 *
 * <p>
 * Called exactly once per decision, after the decision is final (the compare-and-set, if
 * any, has succeeded); never called for a request that throws.
 *
 * @param <R> what the caller makes of the outcome
 */
@FunctionalInterface
public interface ConsumptionHandler<R> {

    /**
     * @param consumed whether the tokens were taken
     * @param remainingTokens whole tokens left in the bucket after this decision
     * @param nanosToWaitForRefill 0 when consumed; otherwise the nanoseconds until the
     * bucket will hold the requested tokens, assuming nobody else consumes meanwhile
     */
    R decided(boolean consumed, long remainingTokens, long nanosToWaitForRefill);

}
