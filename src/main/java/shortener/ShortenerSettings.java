package shortener;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the URL shortener ({@code quartet.shortener.*}). Public only so the
 * module's internal packages can read it; no other module has a use for it.
 *
 * @param baseUrl the public origin short links are served from; targets pointing back at
 * it are refused (no redirect loops)
 * @param codeLength length of generated codes
 * @param permanentRedirects answer 301 instead of 302 by default (a link may say
 * otherwise)
 * @param unknownCodeCacheTtl how long an unknown code is remembered in Redis, so scans
 * cannot hammer the database
 * @param linkCacheTtl the longest a link stays cached in Redis (a link that expires
 * sooner is cached only until it expires) and in an instance's near cache
 * @param nearCacheMaxEntries the most links and unknown codes each instance keeps in
 * memory
 * @param changeHeartbeatInterval how often each instance publishes a heartbeat on the
 * link change channel; an instance trusts its near cache in full only while heartbeats
 * arrive
 * @param changeSilenceLimit the longest gap between heartbeats after which the near cache
 * no longer trusts what it loaded before: the most a lost invalidation can be late (below
 * 1 s)
 * @param unconfirmedNearCacheTtl how long a near cache entry is used while the change
 * channel is not confirmed live (Redis down or hanging): the most such an entry can be
 * stale (below 1 s)
 * @param redisRetryInterval while Redis is failing, the shortener calls it at most once
 * per interval (a circuit breaker: nobody else waits for its timeout)
 * @param redirectMaxAge the max-age of a redirect's private Cache-Control; short, because
 * a browser that reuses a cached redirect is a click nobody counts
 * @param reservedAliases words no custom alias may be (compared ignoring case), because
 * routes of the application or likely future ones use them
 * @param allowedPrivateHosts host names or IP literals that targets may name even though
 * they are or resolve to loopback, private or link-local addresses
 * @param clickFlushInterval how often buffered clicks are counted into PostgreSQL and
 * published
 * @param clickBatchSize the most clicks one flush takes from the buffer
 * @param stalledBatchAfter how long a claimed batch may stay unflushed before another
 * flush takes it over (its instance died mid-flush)
 * @param clickCounterIdleTtl how long a link's click-limit counter stays in Redis after
 * its last click; after that it is seeded again from PostgreSQL
 * @param localClickBufferCapacity how many served clicks this instance keeps in memory
 * until the next flush; beyond that clicks are dropped and counted as dropped. Size it
 * above the peak redirects per second times the flush interval
 * @param statsDays how many days the daily click series covers
 * @param topReferrers how many referrers the statistics list
 */
@Validated
@ConfigurationProperties("quartet.shortener")
public record ShortenerSettings(@NotNull @DefaultValue("http://localhost:8080") URI baseUrl,
        @Min(6) @Max(16) @DefaultValue("7") int codeLength, @DefaultValue("false") boolean permanentRedirects,
        @NotNull @DefaultValue("30s") Duration unknownCodeCacheTtl, @NotNull @DefaultValue("5m") Duration linkCacheTtl,
        @Min(1) @DefaultValue("50000") long nearCacheMaxEntries,
        @NotNull @DefaultValue("200ms") Duration changeHeartbeatInterval,
        @NotNull @DefaultValue("800ms") Duration changeSilenceLimit,
        @NotNull @DefaultValue("500ms") Duration unconfirmedNearCacheTtl,
        @NotNull @DefaultValue("5s") Duration redisRetryInterval, @NotNull @DefaultValue("30s") Duration redirectMaxAge,
        @NotNull @DefaultValue( {
                "api", "actuator", "docs", "swagger-ui", "swagger", "v3", "health", "metrics", "static", "assets",
                "public", "dashboard", "admin", "login", "logout", "error", "favicon", "problems", "demo",
                "index" }) List<String> reservedAliases,
        @NotNull @DefaultValue({}) List<String> allowedPrivateHosts,
        @NotNull @DefaultValue("5s") Duration clickFlushInterval,
        @Min(1) @Max(5000) @DefaultValue("500") int clickBatchSize,
        @NotNull @DefaultValue("1m") Duration stalledBatchAfter,
        @NotNull @DefaultValue("7d") Duration clickCounterIdleTtl,
        @Min(1) @DefaultValue("200000") int localClickBufferCapacity,
        @Min(1) @Max(366) @DefaultValue("30") int statsDays, @Min(1) @Max(100) @DefaultValue("10") int topReferrers){

    public ShortenerSettings {
        reservedAliases = List.copyOf(reservedAliases);
        allowedPrivateHosts = List.copyOf(allowedPrivateHosts);
        if (changeSilenceLimit.compareTo(changeHeartbeatInterval) <= 0) {
            throw new IllegalArgumentException(
                    "change-silence-limit must exceed change-heartbeat-interval, or every gap is a silence");
        }
    }
}
