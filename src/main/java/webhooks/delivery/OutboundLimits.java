package webhooks.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The seam for per-endpoint outbound rate limits. An attempt asks before sending; a delay means
 * the endpoint's budget is spent and the delivery is postponed without counting an attempt.
 * The intended implementation asks {@code ratelimit.RateLimiter} with a policy for webhook
 * endpoints, keyed by endpoint id, and returns the decision's retryAfter when not allowed.
 */
interface OutboundLimits {

    /** Empty to send now, or how long to wait before this endpoint may be called again. */
    Optional<Duration> delayFor(UUID endpointId);

    /** No limit: every endpoint may be called whenever a delivery is due. */
    OutboundLimits NONE = endpointId -> Optional.empty();
}
