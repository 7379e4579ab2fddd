package webhooks;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of DispatchGo ({@code quartet.webhooks.*}).
 *
 * @param maxPayloadSize the largest message payload accepted; larger ones are refused
 * with 413
 * @param connectTimeout how long a delivery may take to connect to an endpoint
 * @param requestTimeout how long a whole delivery attempt may take; a delivery claimed
 * for twice as long is taken for a crashed worker and becomes due again
 * @param maxAttempts delivery attempts before a delivery is FAILED and dead-lettered
 * @param allowedPrivateHosts hosts that may resolve to private, loopback or link-local
 * addresses (refused otherwise, as a guard against server-side request forgery)
 * @param retryBaseDelay the backoff ceiling after the first failed attempt; it doubles
 * with every further attempt, and the actual delay is drawn from the jitter band below it
 * @param retryMaxDelay the largest backoff ceiling, also the cap on an endpoint's
 * Retry-After
 * @param workers how many deliveries one instance attempts at once (listener consumers,
 * each with a prefetch of one, so the broker hands out exactly this many jobs); keep it
 * well above {@code maxConcurrentAttempts}, so that a few hanging endpoints leave workers
 * free
 * @param maxConcurrentAttempts how many attempts one endpoint may have in flight at once,
 * across every instance, unless the endpoint sets its own ({@code maxConcurrentAttempts})
 * @param busyEndpointRetry how soon a delivery whose endpoint was at its bound is handed
 * to the work queue again
 * @param republishInterval how often due retries and lost jobs are handed to the work
 * queue
 * @param republishLostAfter how long a due delivery may wait in the queue before it is
 * taken for lost and handed to the queue again (duplicates are harmless: claims are
 * atomic)
 * @param secretRotationGrace how long the secret replaced by a rotation stays valid;
 * requests are signed with both secrets meanwhile
 * @param autoDisableFailures failed attempts in a row after which an endpoint is
 * disabled, if they also span at least {@code autoDisableAfter}
 * @param autoDisableAfter how long an endpoint must have been failing before it is
 * disabled
 * @param rateLimitPerSecond deliveries per second per endpoint unless the endpoint sets
 * its own; 0 means no limit
 * @param rateLimitPolicy the ratelimit policy outbound limits spend from (see
 * docs/webhooks.md)
 * @param retention how long succeeded messages with their deliveries and attempts are
 * kept
 * @param retentionInterval how often the retention purge runs
 * @param retryJitter the random part of each backoff, as a fraction of its ceiling: the
 * delay is drawn uniformly from [ceiling × (1 − jitter), ceiling]. 0.5 keeps half of
 * every ceiling as a floor, so the default schedule spans at least 27.75 h; 1 is full
 * jitter (no floor)
 * @param maxThrottledAttempts attempts of one delivery that an endpoint may throttle
 * (429, or 503 with Retry-After) without using up one of its {@code maxAttempts}; later
 * ones count
 */
@Validated
@ConfigurationProperties("quartet.webhooks")
public record WebhooksSettings(@NotNull @DefaultValue("256KB") DataSize maxPayloadSize,
        @NotNull @DefaultValue("5s") Duration connectTimeout, @NotNull @DefaultValue("15s") Duration requestTimeout,
        @Min(1) @DefaultValue("8") int maxAttempts, @DefaultValue List<String> allowedPrivateHosts,
        @NotNull @DefaultValue("30m") Duration retryBaseDelay, @NotNull @DefaultValue("24h") Duration retryMaxDelay,
        @Min(1) @Max(256) @DefaultValue("16") int workers,
        @Min(1) @Max(256) @DefaultValue("4") int maxConcurrentAttempts,
        @NotNull @DefaultValue("1s") Duration busyEndpointRetry,
        @NotNull @DefaultValue("500ms") Duration republishInterval,
        @NotNull @DefaultValue("5m") Duration republishLostAfter,
        @NotNull @DefaultValue("24h") Duration secretRotationGrace, @Min(1) @DefaultValue("20") int autoDisableFailures,
        @NotNull @DefaultValue("24h") Duration autoDisableAfter,
        @Min(0) @Max(1000) @DefaultValue("100") int rateLimitPerSecond,
        @NotNull @DefaultValue("webhooks-outbound") String rateLimitPolicy,
        @NotNull @DefaultValue("30d") Duration retention, @NotNull @DefaultValue("1h") Duration retentionInterval,
        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5") double retryJitter,
        @Min(0) @DefaultValue("50") int maxThrottledAttempts) {
}
