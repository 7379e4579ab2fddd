package quartet.platform.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the platform around the modules.
 *
 * @param apiKeys the API keys accepted on {@code /api/**}, each {@code key} or
 *        {@code client=key}; the client name scopes per-client state such as idempotency keys
 * @param adminClients the clients whose keys carry the {@code admin} role: they see and manage
 *        every client's resources
 */
@ConfigurationProperties("quartet.platform")
record PlatformProperties(@DefaultValue List<String> apiKeys, @DefaultValue List<String> adminClients) {
}
