package shortener.service;

import java.net.URI;
import java.time.Duration;

/**
 * How to answer a followed link.
 *
 * @param target where to send the client
 * @param permanent 301 rather than 302
 * @param maxAge how long the client may reuse the redirect (private cache only)
 */
public record Redirect(URI target, boolean permanent, Duration maxAge) {
}
