package webhooks.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A registered webhook endpoint as the API shows it; the secret is shown only on creation.
 *
 * @param disabledReason why the endpoint was disabled automatically, if it was
 * @param secret the signing secret, present only in the answer to its creation
 */
record Endpoint(UUID id, String url, String description, List<String> eventTypes, boolean enabled,
        String disabledReason, Instant createdAt, Instant updatedAt, String secret) {

    Endpoint withSecret(String secret) {
        return new Endpoint(id, url, description, eventTypes, enabled, disabledReason, createdAt, updatedAt, secret);
    }
}
