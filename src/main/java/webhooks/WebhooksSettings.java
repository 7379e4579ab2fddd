package webhooks;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of DispatchGo ({@code quartet.webhooks.*}).
 *
 * @param maxPayloadSize the largest message payload accepted; larger ones are refused with 413
 * @param connectTimeout how long a delivery may take to connect to an endpoint
 * @param requestTimeout how long a whole delivery attempt may take
 * @param maxAttempts delivery attempts before a delivery is FAILED and dead-lettered
 * @param allowedPrivateHosts hosts that may resolve to private, loopback or link-local
 *        addresses (refused otherwise, as a guard against server-side request forgery)
 */
@Validated
@ConfigurationProperties("quartet.webhooks")
record WebhooksSettings(
        @NotNull @DefaultValue("256KB") DataSize maxPayloadSize,
        @NotNull @DefaultValue("5s") Duration connectTimeout,
        @NotNull @DefaultValue("15s") Duration requestTimeout,
        @Min(1) @DefaultValue("8") int maxAttempts,
        @DefaultValue List<String> allowedPrivateHosts) {
}
