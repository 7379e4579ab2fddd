package webhooks.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A registered webhook endpoint as the API shows it; the secret is shown only on
 * creation.
 *
 * @param owner the client that registered it, whose messages and payment events it
 * receives
 * @param disabledReason why the endpoint was disabled automatically, if it was
 * @param disabledAt when it was disabled (automatically, or by its owner), if it is
 * @param rateLimitPerSecond the endpoint's own outbound limit, or null for the configured
 * default
 * @param maxConcurrentAttempts the endpoint's own bound on attempts in flight at once, or
 * null for the configured default
 * @param consecutiveFailures failed attempts in a row; a success resets it
 * @param failingSince when the first of those failures happened, or null
 * @param throttledUntil until when the endpoint asked for a pause (429, or 503 with
 * Retry-After), holding back all of its deliveries, or null when it did not or the pause
 * is over
 * @param previousSecretExpiresAt until when the secret replaced by the last rotation is
 * still signed with, or null when there is none
 * @param secret the signing secret, present only in the answer to its creation
 */
record Endpoint(UUID id, String owner, String url, String description, List<String> eventTypes, boolean enabled,
        @Nullable String disabledReason, @Nullable Instant disabledAt, @Nullable Integer rateLimitPerSecond,
        @Nullable Integer maxConcurrentAttempts, int consecutiveFailures, @Nullable Instant failingSince,
        @Nullable Instant throttledUntil, @Nullable Instant previousSecretExpiresAt, Instant createdAt,
        Instant updatedAt, @Nullable String secret) {

    Endpoint withSecret(String secret) {
        return new Endpoint(id, owner, url, description, eventTypes, enabled, disabledReason, disabledAt,
                rateLimitPerSecond, maxConcurrentAttempts, consecutiveFailures, failingSince, throttledUntil,
                previousSecretExpiresAt, createdAt, updatedAt, secret);
    }
}
