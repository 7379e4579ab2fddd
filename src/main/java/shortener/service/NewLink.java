package shortener.service;

import java.time.Duration;
import java.time.Instant;

/**
 * What a caller asks for when creating a link.
 *
 * @param targetUrl where it should redirect
 * @param alias the code the caller wants, or null for a generated one
 * @param expiresAt when it should stop redirecting, or null
 * @param ttl how long from now it should redirect, or null (not together with expiresAt)
 * @param maxClicks how many redirects it should serve at most, or null for no limit
 * @param permanentRedirect 301 (true) or 302 (false), or null for the configured default
 */
public record NewLink(String targetUrl, String alias, Instant expiresAt, Duration ttl, Long maxClicks,
        Boolean permanentRedirect) {
}
