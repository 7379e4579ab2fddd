package ratelimit;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of HoldUp ({@code quartet.ratelimit.*}).
 *
 * @param enabled whether the HTTP middleware applies the policies at all
 * @param maxKeys the most keys one local policy tracks at once, so memory stays bounded;
 * at the cap, buckets that refilled are dropped first, then new keys share one overflow
 * bucket
 * @param redisFailure what a Redis-backed policy does while Redis is unreachable
 * @param trustedProxies addresses or CIDR ranges whose X-Forwarded-For header is
 * believed; a client IP is read from that header only behind these; none by default
 * @param policies the policies, first match wins; a request no pattern matches is not
 * limited
 * @param ipv6PrefixLength IPv6 clients keyed by IP share one bucket per network of this
 * many bits (default /64), so one host cannot spend a fresh bucket per address it owns
 * @param redisBackoff after a Redis call fails, Redis-backed policies apply
 * {@code redisFailure} at once for this long without calling Redis, then one call tries
 * it again
 * @param evictionInterval how often local buckets that refilled to full are dropped
 */
@Validated
@ConfigurationProperties("quartet.ratelimit")
record RateLimitSettings(@DefaultValue("true") boolean enabled, @Min(1) @DefaultValue("100000") int maxKeys,
        @NotNull @DefaultValue("local") RedisFailure redisFailure, @DefaultValue List<String> trustedProxies,
        @Valid @DefaultValue List<Policy> policies, @Min(1) @Max(128) @DefaultValue("64") int ipv6PrefixLength,
        @NotNull @DefaultValue("5s") Duration redisBackoff, @NotNull @DefaultValue("30s") Duration evictionInterval) {

    /** What a Redis-backed policy does while Redis is unreachable. */
    enum RedisFailure {

        /** Allow every request: availability over protection. */
        OPEN,
        /** Reject every request: protection over availability. */
        CLOSED,
        /**
         * Decide with this instance's own buckets: each instance enforces the limit
         * alone.
         */
        LOCAL

    }

    /** Whose bucket a request spends from. */
    enum Key {

        /**
         * The client's IP address (X-Forwarded-For honoured only behind trusted proxies).
         */
        IP,
        /** The authenticated API client; anonymous requests fall back to their IP. */
        CLIENT,
        /**
         * A digest of the presented X-API-Key header, valid or not; requests without one
         * fall back to their IP.
         */
        API_KEY

    }

    /** Where a policy keeps its buckets. */
    enum Store {

        /** In this instance's memory. */
        LOCAL,
        /** In Redis, shared by every instance. */
        REDIS

    }

    /**
     * A named limit on a set of routes.
     *
     * @param name the policy's name, shown in the RateLimit headers and metrics
     * @param patterns path patterns (Spring's PathPattern syntax) the policy applies to;
     * none for a policy that only other modules use through {@link RateLimiter}
     * @param capacity tokens a full bucket holds: the largest burst
     * @param refillTokens tokens added every {@code refillPeriod}, evenly spread
     * @param refillPeriod the period of {@code refillTokens}
     * @param key whose bucket a request spends from
     * @param store where the buckets live
     * @param shadow when true, would-be rejections are only logged and counted
     * @param lease for a Redis policy, the most tokens an instance takes from Redis at
     * once and then spends without a round trip (see docs/ratelimit.md for what it costs
     * in exactness); 1 decides every request in Redis; 0, the default, picks capacity /
     * 32 between 1 and 64
     */
    record Policy(@NotNull @Pattern(regexp = "[a-z0-9-]{1,32}") String name, @DefaultValue List<String> patterns,
            @Min(1) long capacity, @Min(1) long refillTokens, @NotNull Duration refillPeriod,
            @NotNull @DefaultValue("client") Key key, @NotNull @DefaultValue("local") Store store,
            @DefaultValue("false") boolean shadow, @Min(0) @DefaultValue("0") long lease) {

        /** The lease of a Redis policy, with 0 resolved. */
        long leaseSize() {
            return lease > 0 ? Math.min(lease, capacity) : Math.max(1, Math.min(64, capacity / 32));
        }
    }
}
