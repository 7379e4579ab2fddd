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
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Service;
import ratelimit.RateLimitSettings.Policy;
import ratelimit.core.BucketSpec;
import ratelimit.core.ConsumptionHandler;
import ratelimit.core.KeyedBuckets;
import ratelimit.core.NanoClock;
import ratelimit.core.TokenLeases;
import ratelimit.redis.RedisTokenBuckets;

/**
 * The {@link RateLimiter} over the configured policies and those defined in code: each
 * policy keeps its buckets locally (bounded {@link KeyedBuckets}) or in Redis, spent
 * through {@link TokenLeases} (one Lua call per lease of tokens, not per decision). While
 * Redis is unreachable a Redis policy fails open, closed, or to local buckets, as
 * configured; after a failure, {@link RedisBackoff} keeps it from calling Redis at all
 * for a while, so a hung Redis costs one timeout per back-off period rather than one per
 * request.
 */
@Service
class PolicyRateLimiter implements RateLimiter, RateLimitPolicies, SchedulingConfigurer {

    private static final Log log = LogFactory.getLog(PolicyRateLimiter.class);

    private static final java.util.regex.Pattern POLICY_NAME = java.util.regex.Pattern.compile("[a-z0-9-]{1,32}");

    // Concurrent: code may define policies while requests are decided.
    private final Map<String, Limiter> limiters = new ConcurrentHashMap<>();

    // The configured policies in their order: the first whose pattern matches a route
    // wins.
    private final List<Policy> configured;

    private final RateLimitSettings.RedisFailure redisFailure;

    private final int maxKeys;

    private final RedisTokenBuckets redisBuckets;

    private final RedisBackoff redisBackoff;

    private final NanoClock clock;

    private final MeterRegistry meters;

    private final Duration evictionInterval;

    @org.springframework.beans.factory.annotation.Autowired
    PolicyRateLimiter(RateLimitSettings settings, StringRedisTemplate redis, MeterRegistry meters) {
        this(settings, redis, meters, NanoClock.system());
    }

    PolicyRateLimiter(RateLimitSettings settings, StringRedisTemplate redis, MeterRegistry meters, NanoClock clock) {
        this.redisFailure = settings.redisFailure();
        this.maxKeys = settings.maxKeys();
        this.evictionInterval = settings.evictionInterval();
        this.meters = meters;
        this.clock = clock;
        this.redisBackoff = new RedisBackoff(settings.redisBackoff(), clock);
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
            throw new IllegalArgumentException(
                    "A policy name is 1 to 32 lower-case letters, digits or '-', not " + name);
        }
        Policy policy = new Policy(name, List.of(), capacity, capacity, refillPeriod, RateLimitSettings.Key.IP,
                shared ? RateLimitSettings.Store.REDIS : RateLimitSettings.Store.LOCAL, false, 0);
        limiters.compute(name, (key, existing) -> {
            if (existing == null) {
                return limiter(policy);
            }
            if (!sameLimit(existing.policy(), policy)) {
                throw new IllegalArgumentException(
                        "Rate limit policy '" + name + "' already exists with another limit: " + existing.policy());
            }
            return existing;
        });
    }

    private static boolean sameLimit(Policy a, Policy b) {
        return a.capacity() == b.capacity() && a.refillTokens() == b.refillTokens()
                && a.refillPeriod().equals(b.refillPeriod()) && a.store() == b.store();
    }

    private Limiter limiter(Policy policy) {
        BucketSpec spec = new BucketSpec(policy.capacity(), policy.refillTokens(), policy.refillPeriod());
        var local = new KeyedBuckets<String>(spec, maxKeys, clock);
        if (policy.store() != RateLimitSettings.Store.REDIS) {
            return new Limiter(policy, spec, local, null);
        }
        redisBuckets.requireSupported(spec);
        String prefix = policy.name() + ":";
        var leases = new TokenLeases<String>((key, least, most) -> redisBuckets.lease(prefix + key, spec, least, most),
                policy.leaseSize(), maxKeys, nanosToRefill(spec, spec.capacity()), clock);
        return new Limiter(policy, spec, local, leases);
    }

    @Override
    public RateLimitDecision tryAcquire(String policyName, String key, long tokens) {
        Limiter limiter = Optional.ofNullable(limiters.get(policyName))
            .orElseThrow(() -> new IllegalArgumentException("No rate limit policy named " + policyName));
        RateLimitDecision decision = limiter.decide(key, tokens);
        (decision.allowed() ? limiter.allowed : limiter.rejected).increment();
        return decision;
    }

    /** Evicts every {@code eviction-interval}. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(this::evictIdleBuckets, evictionInterval);
    }

    /**
     * Drops idle local buckets that refilled to full: they are indistinguishable from new
     * ones.
     */
    void evictIdleBuckets() {
        limiters.values().forEach(Limiter::evictIdle);
    }

    private final class Limiter implements ConsumptionHandler<RateLimitDecision> {

        private final Policy policy;

        private final BucketSpec spec;

        private final KeyedBuckets<String> local;

        private final @Nullable TokenLeases<String> redis;

        private final long windowSeconds;

        // Resolved once: a registry lookup per decision would sit on every request's
        // path.
        private final Counter allowed;

        private final Counter rejected;

        Limiter(Policy policy, BucketSpec spec, KeyedBuckets<String> local, @Nullable TokenLeases<String> redis) {
            this.allowed = meters.counter("quartet.ratelimit.decisions", "policy", policy.name(), "outcome", "allowed");
            this.rejected = meters.counter("quartet.ratelimit.decisions", "policy", policy.name(), "outcome",
                    "rejected");
            this.policy = policy;
            this.spec = spec;
            this.local = local;
            this.redis = redis;
            this.windowSeconds = seconds(nanosToRefill(spec.capacity()));
        }

        Policy policy() {
            return policy;
        }

        void evictIdle() {
            local.evictIdle();
            if (redis != null) {
                redis.evictIdle();
            }
        }

        RateLimitDecision decide(String key, long tokens) {
            if (redis == null) {
                // the local hot path: no probe on the way to the decision
                return local.tryConsume(key, tokens, this);
            }
            if (!redisBackoff.mayCall()) {
                return redisUnavailable(key, tokens);
            }
            try {
                RateLimitDecision decision = redis.tryConsume(key, tokens, this);
                if (redisBackoff.succeeded()) {
                    log.info("Redis is reachable again; Redis-backed rate limits are shared across instances again");
                }
                return decision;
            }
            catch (DataAccessException e) {
                if (redisBackoff.failed()) {
                    log.warn("Redis is unreachable (" + e.getMostSpecificCause().getMessage()
                            + "); Redis-backed rate limits fail " + redisFailure.name().toLowerCase()
                            + " until it is back, trying it again every " + redisBackoff.period().toMillis() + " ms");
                }
                return redisUnavailable(key, tokens);
            }
        }

        @Override
        public RateLimitDecision decided(boolean consumed, long remainingTokens, long nanosToWaitForRefill) {
            long missing = spec.capacity() - remainingTokens;
            return new RateLimitDecision(consumed, policy.name(), spec.capacity(), windowSeconds, remainingTokens,
                    Duration.ofNanos(nanosToWaitForRefill), Duration.ofNanos(nanosToRefill(missing)));
        }

        private RateLimitDecision redisUnavailable(String key, long tokens) {
            meters
                .counter("quartet.ratelimit.redis.failures", "policy", policy.name(), "mode",
                        redisFailure.name().toLowerCase())
                .increment();
            return switch (redisFailure) {
                case OPEN -> decided(true, spec.capacity(), 0);
                case CLOSED -> decided(false, 0, nanosToRefill(tokens));
                case LOCAL -> local.tryConsume(key, tokens, this);
            };
        }

        private long nanosToRefill(long tokens) {
            return PolicyRateLimiter.nanosToRefill(spec, tokens);
        }

    }

    /**
     * Nanoseconds a bucket takes to gain {@code tokens}; a double is precise enough for
     * headers and idle times.
     */
    private static long nanosToRefill(BucketSpec spec, long tokens) {
        return (long) Math.ceil((double) tokens * spec.refillPeriodNanos() / spec.refillTokens());
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

}
