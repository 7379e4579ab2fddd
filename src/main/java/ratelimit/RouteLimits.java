package ratelimit;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The HTTP middleware's policies for a request that does not pass through it, such as a
 * gRPC call standing for an HTTP route: the first policy whose pattern matches
 * {@code path} decides, from the bucket that route's HTTP request would spend from. Both
 * transports share the limit.
 */
public interface RouteLimits {

    /**
     * Spends one token for a request to {@code path} (for example {@code /api/payments}).
     * @param client the authenticated client's name, or null
     * @param apiKey the presented API key, or null (only a digest of it is ever kept)
     * @param ip the client's address
     * @return the decision, or empty when no policy covers the path or limiting is
     * disabled; a shadow policy's would-be rejection is counted and answered as allowed
     */
    Optional<RateLimitDecision> tryAcquire(String path, @Nullable String client, @Nullable String apiKey, String ip);

}
