package shortener;

import java.net.URI;
import java.time.Instant;

import org.springframework.modulith.events.Externalized;

/**
 * A short link was created. Published in the creating transaction and externalized to the
 * Kafka topic link.created, keyed by the code.
 *
 * @param code the link's code
 * @param target where the link redirects to
 * @param createdAt when it was created
 * @param expiresAt when it stops redirecting, or null for never
 * @param maxClicks how many redirects it serves at most, or null for no limit
 * @param owner the API client that created it and owns its statistics
 */
@Externalized("link.created::#{#this.code().value()}")
public record LinkCreated(ShortCode code, URI target, Instant createdAt, Instant expiresAt, Long maxClicks,
        String owner) {
}
