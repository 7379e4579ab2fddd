package webhooks.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import ratelimit.RateLimitDecision;
import ratelimit.RateLimiter;
import webhooks.WebhooksSettings;
import webhooks.endpoint.DeliveryTarget;

/**
 * Outbound limits per endpoint, decided by the ratelimit module. One policy serves every
 * endpoint, keyed by endpoint id; it grants {@value #POLICY_TOKENS_PER_SECOND} tokens per
 * second with a capacity of as many, and a delivery to an endpoint limited to r per
 * second spends 1000 / r tokens (rounded up). So each endpoint gets its own rate from one
 * named policy (and, with a Redis-backed policy, one limit across all instances), with a
 * burst of about one second of its rate.
 */
@Component
class EndpointRateLimits implements OutboundLimits {

    static final long POLICY_TOKENS_PER_SECOND = 1000;

    private static final Log log = LogFactory.getLog(EndpointRateLimits.class);

    private static final Duration SHORTEST_WAIT = Duration.ofMillis(1);

    private final RateLimiter limiter;

    private final String policy;

    private final int defaultPerSecond;

    private final AtomicBoolean warned = new AtomicBoolean();

    EndpointRateLimits(RateLimiter limiter, WebhooksSettings settings) {
        this.limiter = limiter;
        this.policy = settings.rateLimitPolicy();
        this.defaultPerSecond = settings.rateLimitPerSecond();
    }

    @Override
    public Optional<Duration> delayFor(DeliveryTarget target) {
        int perSecond = target.rateLimitPerSecond() != null ? target.rateLimitPerSecond() : defaultPerSecond;
        if (perSecond <= 0) {
            return Optional.empty();
        }
        RateLimitDecision decision;
        try {
            decision = limiter.tryAcquire(policy, target.endpointId().toString(), tokensPerDelivery(perSecond));
        }
        catch (IllegalArgumentException e) {
            // A missing or too small policy is a configuration error; deliveries go on
            // unlimited meanwhile.
            if (warned.compareAndSet(false, true)) {
                log.error("Outbound webhook rate limits are off: " + e.getMessage()
                        + " (see quartet.webhooks.rate-limit-policy)");
            }
            return Optional.empty();
        }
        if (decision.allowed()) {
            return Optional.empty();
        }
        Duration wait = decision.retryAfter();
        return Optional.of(wait.compareTo(SHORTEST_WAIT) < 0 ? SHORTEST_WAIT : wait);
    }

    static long tokensPerDelivery(int perSecond) {
        return (POLICY_TOKENS_PER_SECOND + perSecond - 1) / perSecond;
    }

}
