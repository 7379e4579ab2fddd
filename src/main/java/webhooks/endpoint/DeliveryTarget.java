package webhooks.endpoint;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Where and how a delivery is sent: the endpoint's URL and signing secrets.
 *
 * @param previousSecret the secret replaced by a rotation while its grace period lasts,
 * else null
 * @param enabled false once the endpoint was disabled; nothing is sent to it then
 * @param rateLimitPerSecond the endpoint's own outbound limit, or null for the default
 */
public record DeliveryTarget(UUID endpointId, URI url, String secret, @Nullable String previousSecret, boolean enabled,
        @Nullable Integer rateLimitPerSecond) {

    /**
     * The secrets each request is signed with: the current one first, then one still in
     * its grace period.
     */
    public List<String> signingSecrets() {
        return previousSecret == null ? List.of(secret) : List.of(secret, previousSecret);
    }

    @Override
    public String toString() {
        return "DeliveryTarget[" + endpointId + ", " + url + "]"; // never the secrets
    }
}
