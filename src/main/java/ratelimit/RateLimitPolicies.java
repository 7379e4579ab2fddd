package ratelimit;

import java.time.Duration;

/**
 * Policies that code defines rather than configuration: for a limit another part of the
 * application applies itself through {@link RateLimiter} (no route, no HTTP middleware).
 */
public interface RateLimitPolicies {

    /**
     * Defines the policy {@code name}: a bucket of {@code capacity} tokens per key,
     * refilled evenly to full over {@code refillPeriod}. Defining it again with the same
     * limit changes nothing.
     * @param shared whether the buckets live in Redis, shared by every instance (with the
     * configured behaviour while Redis is down), or in this instance's memory
     * @throws IllegalArgumentException for a malformed name or limit, or a policy of that
     * name (configured or defined) with another limit
     */
    void define(String name, long capacity, Duration refillPeriod, boolean shared);

}
