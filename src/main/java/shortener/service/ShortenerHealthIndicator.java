package shortener.service;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The redirect path's own view: up in both modes (redirects work from PostgreSQL too), saying
 * whether it runs on Redis or degraded, and how many clicks wait in memory or were dropped.
 */
@Component("shortener")
class ShortenerHealthIndicator implements HealthIndicator {

    private final RedisAvailability redis;
    private final LocalClickBuffer localClicks;

    ShortenerHealthIndicator(RedisAvailability redis, LocalClickBuffer localClicks) {
        this.redis = redis;
        this.localClicks = localClicks;
    }

    @Override
    public Health health() {
        return Health.up()
            .withDetail("redirects", redis.isReachable() ? "redis" : "degraded: PostgreSQL, no Redis cache")
            .withDetail("clicksBufferedInMemory", localClicks.size())
            .withDetail("clicksDropped", (long) localClicks.dropped())
            .build();
    }
}
