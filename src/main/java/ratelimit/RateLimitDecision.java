package ratelimit;

import java.time.Duration;

/**
 * One decision of a {@link RateLimiter}, with what a client needs to behave.
 *
 * @param allowed whether the tokens were granted
 * @param policy the policy that decided
 * @param quota the policy's capacity (tokens a full bucket holds)
 * @param window seconds a bucket takes to refill from empty to full
 * @param remaining whole tokens left after this decision
 * @param retryAfter zero when allowed; otherwise how long until the tokens asked for are
 * there
 * @param resetAfter how long until the bucket is full again
 */
public record RateLimitDecision(boolean allowed, String policy, long quota, long window, long remaining,
        Duration retryAfter, Duration resetAfter) {

    /**
     * The Retry-After header's value for a refusal: whole seconds, rounded up, at least
     * one.
     */
    public long retryAfterSeconds() {
        return Math.max(1, RateLimitFilter.wholeSeconds(retryAfter));
    }
}
