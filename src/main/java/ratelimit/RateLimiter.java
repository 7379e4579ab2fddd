package ratelimit;

/**
 * HoldUp's public API: asks a configured policy whether a key may spend tokens now. The
 * HTTP middleware uses it for inbound requests; other modules use it for their own limits
 * (for example webhooks, per endpoint, for outbound deliveries).
 */
public interface RateLimiter {

    /**
     * Takes {@code tokens} from the bucket of {@code key} under {@code policy}, if it
     * holds them.
     * @throws IllegalArgumentException for an unknown policy or more tokens than its
     * capacity
     */
    RateLimitDecision tryAcquire(String policy, String key, long tokens);

    default RateLimitDecision tryAcquire(String policy, String key) {
        return tryAcquire(policy, key, 1);
    }

}
