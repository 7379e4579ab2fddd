package webhooks.delivery;

import java.time.Duration;
import java.util.Optional;

import webhooks.endpoint.DeliveryTarget;

/**
 * The seam for per-endpoint outbound rate limits. An attempt asks before sending; a delay
 * means the endpoint's budget is spent and the delivery is postponed without counting an
 * attempt. {@link EndpointRateLimits} implements it with the ratelimit module.
 */
interface OutboundLimits {

    /**
     * Empty to send now, or how long to wait before this endpoint may be called again.
     */
    Optional<Duration> delayFor(DeliveryTarget target);

    /** No limit: every endpoint may be called whenever a delivery is due. */
    OutboundLimits NONE = target -> Optional.empty();

}
