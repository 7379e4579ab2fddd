package quartet.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the platform around the modules.
 *
 * @param apiKeys the API keys accepted on {@code /api/**}, each {@code client=key},
 * {@code client=sha256:<64 hex digits>} (the key's SHA-256 digest, so the key itself is
 * in no configuration) or a bare key; a client may have several keys at once (rotation).
 * The client name scopes per-client state such as idempotency keys. Checked at start-up.
 * @param adminClients the clients whose keys carry the {@code admin} role: they see and
 * manage every client's resources, and see the health details
 * @param failedAuth how failed authentication is limited
 */
@ConfigurationProperties("quartet.platform")
record PlatformProperties(@DefaultValue List<String> apiKeys, @DefaultValue List<String> adminClients,
        @DefaultValue FailedAuth failedAuth) {

    PlatformProperties {
        // Fails the binding, so a malformed key list stops the start with the entry
        // named.
        ApiKeys.parse(apiKeys);
    }

    /**
     * @param limitPerMinute failed authentications (a wrong or missing API key) one
     * client address may have per minute, refilled evenly; beyond it the answer is 429
     */
    record FailedAuth(@DefaultValue("10") int limitPerMinute) {

        FailedAuth {
            if (limitPerMinute < 1) {
                throw new IllegalArgumentException(
                        "quartet.platform.failed-auth.limit-per-minute must be at least 1 but was " + limitPerMinute);
            }
        }
    }
}
