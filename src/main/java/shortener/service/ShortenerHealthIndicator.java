package shortener.service;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import shortener.repository.NearLinkCache;

/**
 * The redirect path's own view: up in both modes (redirects work from PostgreSQL too),
 * saying whether it runs on Redis or degraded, how many clicks wait in memory or were
 * dropped, and whether the near cache hears every instance's changes.
 */
@Component("shortener")
class ShortenerHealthIndicator implements HealthIndicator {

    private final RedisAvailability redis;

    private final LocalClickBuffer localClicks;

    private final NearLinkCache nearCache;

    private final LinkInvalidations invalidations;

    ShortenerHealthIndicator(RedisAvailability redis, LocalClickBuffer localClicks, NearLinkCache nearCache,
            LinkInvalidations invalidations) {
        this.redis = redis;
        this.localClicks = localClicks;
        this.nearCache = nearCache;
        this.invalidations = invalidations;
    }

    @Override
    public Health health() {
        return Health.up()
            .withDetail("redirects", redis.isReachable() ? "redis" : "degraded: PostgreSQL, no Redis cache")
            .withDetail("clicksBufferedInMemory", localClicks.size())
            .withDetail("clicksDropped", (long) localClicks.dropped())
            .withDetail("nearCache",
                    nearCache.isConfirmedLive() ? "confirmed" : "unconfirmed: entries used for at most a moment")
            .withDetail("nearCacheEntries", nearCache.size())
            .withDetail("changesNotYetPublished", invalidations.unpublished())
            .build();
    }

}
