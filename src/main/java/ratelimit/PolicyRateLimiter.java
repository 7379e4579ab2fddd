package ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import ratelimit.RateLimitSettings.Policy;
import ratelimit.core.BucketSpec;
import ratelimit.core.ConsumptionHandler;
import ratelimit.core.ConsumptionProbe;
import ratelimit.core.KeyedBuckets;
import ratelimit.core.NanoClock;
import ratelimit.redis.RedisTokenBuckets;

/**
 * The {@link RateLimiter} over the configured policies and those defined in code: each policy
 * keeps its buckets locally (bounded {@link KeyedBuckets}) or in Redis (one Lua call per
 * decision). While Redis is unreachable a Redis policy fails open, closed, or to local buckets,
 * as configured.
 */
@Service
class PolicyRateLimiter implements RateLimiter, RateLimitPolicies {

    private static final Log log = LogFactory.getLog(PolicyRateLimiter.class);

    private static final java.util.regex.Pattern POLICY_NAME = java.util.regex.Pattern.compile("[a-z0-9-]{1,32}");

    // Concurrent: code may define policies while requests are decided.
    private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();
    // The configured policies in their order: the first whose pattern matches a route wins.
    private final List<Policy> configured;
    private final RateLimitSettings.RedisFailure redisFailure;
    private final int maxKeys;
    private final RedisTokenBuckets redisBuckets;
    private final MeterRegistry meters;
    // Logs the change of state, not every request during an outage.
    private final java.util.concurrent.atomic.AtomicBoolean redisReachable = new java.util.concurrent.atomic.AtomicBoolean(true);

    PolicyRateLimiter(RateLimitSettings settings, StringRedisTemplate redis, MeterRegistry meters) {
        this.redisFailure = settings.redisFailure();
        this.maxKeys = settings.maxKeys();
        this.meters = meters;
        this.redisBuckets = new RedisTokenBuckets(redis, "quartet:ratelimit:");
        this.configured = List.copyOf(settings.policies());
        for (Policy policy : configured) {
            limiters.put(policy.name(), limiter(policy));
        }
    }

    /** The configured policies, in order. */
    List<Policy> policies() {
        return configured;
    }

    @Override
    public void define(String name, long capacity, Duration refillPeriod, boolean shared) {
        if (name == null || !POLICY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A policy name is 1 to 32 lower-case letters, digits or '-', not " + name);
        }
        Policy policy = new Policy(name, List.of(), capacity, capacity, refillPeriod, RateLimitSettings.Key.IP,
                shared ? RateLimitSettings.Store.REDIS : RateLimitSettings.Store.LOCAL, false);
        limiters.compute(name, (key, existing) -> {
            if (existing == null) {
                return limiter(policy);
            }
            if (!sameLimit(existing.policy(), policy)) {
                throw new IllegalArgumentException("Rate limit policy '" + name + "' already exists with another limit: " + existing.policy());
            }
            return existing;
        });
    }

    private static boolean sameLimit(Policy a, Policy b) {
        return a.capacity() == b.capacity() && a.refillTokens() == b.refillTokens() && a.refillPeriod().equals(b.refillPeriod())
                && a.store() == b.store();
    }

    private Limiter limiter(Policy policy) {
        BucketSpec spec = new BucketSpec(policy.capacity(), policy.refillTokens(), policy.refillPeriod());
        var local = new KeyedBuckets<String>(spec, maxKeys, NanoClock.system());
        boolean inRedis = policy.store() == RateLimitSettings.Store.REDIS;
        if (inRedis) {
            redisBuckets.requireSupported(spec);
        }
        return new Limiter(policy, spec, local, inRedis ? redisBuckets : null);
    }

    @Override
    public RateLimitDecision tryAcquire(String policyName, String key, long tokens) {
        Limiter limiter = Optional.ofNullable(limiters.get(policyName))
            .orElseThrow(() -> new IllegalArgumentException("No rate limit policy named " + policyName));
        RateLimitDecision decision = limiter.decide(key, tokens);
        (decision.allowed() ? limiter.allowed : limiter.rejected).increment();
        return decision;
    }

    /** Drops idle local buckets that refilled to full: they are indistinguishable from new ones. */
    @Scheduled(fixedDelayString = "${quartet.ratelimit.eviction-interval:30s}")
    void evictIdleBuckets() {
        limiters.values().forEach(limiter -> limiter.local().evictIdle());
    }

    private final class Limiter implements ConsumptionHandler<RateLimitDecision> {

        private final Policy policy;
        private final BucketSpec spec;
        private final KeyedBuckets<String> local;
        private final RedisTokenBuckets redis;
        private final long windowSeconds;
        // Resolved once: a registry lookup per decision would sit on every request's path.
        private final Counter allowed;
        private final Counter rejected;

        Limiter(Policy policy, BucketSpec spec, KeyedBuckets<String> local, RedisTokenBuckets redis) {
            this.allowed = meters.counter("quartet.ratelimit.decisions", "policy", policy.name(), "outcome", "allowed");
            this.rejected = meters.counter("quartet.ratelimit.decisions", "policy", policy.name(), "outcome", "rejected");
            this.policy = policy;
            this.spec = spec;
            this.local = local;
            this.redis = redis;
            this.windowSeconds = seconds(nanosToRefill(spec.capacity()));
        }

        Policy policy() {
            return policy;
        }

        KeyedBuckets<String> local() {
            return local;
        }

        RateLimitDecision decide(String key, long tokens) {
            if (redis == null) {
                return local.tryConsume(key, tokens, this); // the local hot path: no probe on the way to the decision
            }
            ConsumptionProbe probe = decideInRedis(key, tokens);
            return decided(probe.consumed(), probe.remainingTokens(), probe.nanosToWaitForRefill());
        }

        @Override
        public RateLimitDecision decided(boolean consumed, long remainingTokens, long nanosToWaitForRefill) {
            long missing = spec.capacity() - remainingTokens;
            return new RateLimitDecision(consumed, policy.name(), spec.capacity(), windowSeconds,
                    remainingTokens, Duration.ofNanos(nanosToWaitForRefill), Duration.ofNanos(nanosToRefill(missing)));
        }

        private ConsumptionProbe decideInRedis(String key, long tokens) {
            try {
                ConsumptionProbe probe = redis.tryConsume(policy.name() + ":" + key, spec, tokens);
                if (redisReachable.compareAndSet(false, true)) {
                    log.info("Redis is reachable again; Redis-backed rate limits are shared across instances again");
                }
                return probe;
            }
            catch (DataAccessException e) {
                meters.counter("quartet.ratelimit.redis.failures", "policy", policy.name(), "mode", redisFailure.name().toLowerCase()).increment();
                if (redisReachable.compareAndSet(true, false)) {
                    log.warn("Redis is unreachable (" + e.getMostSpecificCause().getMessage() + "); Redis-backed rate limits fail "
                            + redisFailure.name().toLowerCase() + " until it is back");
                }
                return switch (redisFailure) {
                    case OPEN -> new ConsumptionProbe(true, spec.capacity(), 0);
                    case CLOSED -> new ConsumptionProbe(false, 0, nanosToRefill(tokens));
                    case LOCAL -> local.tryConsume(key, tokens);
                };
            }
        }

        /** Nanoseconds the bucket takes to gain {@code tokens}; a double is precise enough for headers. */
        private long nanosToRefill(long tokens) {
            return (long) Math.ceil((double) tokens * spec.refillPeriodNanos() / spec.refillTokens());
        }
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
