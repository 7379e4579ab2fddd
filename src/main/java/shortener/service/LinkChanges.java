package shortener.service;

import java.time.Duration;
import java.time.Instant;

/**
 * Changes to a link's settings; a null field leaves its setting as it is.
 *
 * @param expiresAt a new expiry time
 * @param ttl a new expiry, counted from now (not together with expiresAt)
 * @param neverExpires true removes the expiry
 * @param maxClicks a new click limit
 * @param unlimitedClicks true removes the click limit
 * @param disabled true switches the link off, false on again
 */
public record LinkChanges(Instant expiresAt, Duration ttl, Boolean neverExpires, Long maxClicks,
        Boolean unlimitedClicks, Boolean disabled) {
}
