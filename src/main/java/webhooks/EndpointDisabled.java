package webhooks;

import java.time.Instant;
import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * DispatchGo stopped delivering to an endpoint on its own: it answered 410 Gone, or it
 * kept failing for too long. Published through the event publication registry with the
 * change, and externalized to Kafka keyed by endpoint id, so operators and merchants can
 * be told.
 *
 * @param reason why, in words an operator can act on
 * @param disabledAt when the endpoint was disabled
 */
@Externalized("webhooks.endpoint-disabled::#{#this.endpointId()}")
public record EndpointDisabled(UUID endpointId, String url, String reason, Instant disabledAt) {
}
