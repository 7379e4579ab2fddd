package payments.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of FlowPay ({@code quartet.payments.*}).
 *
 * @param idempotencyKeyRetention how long a stored Idempotency-Key and its response are
 * kept before the purge job removes them (at least 24 hours, per the API contract)
 * @param processingTimeout how long a payment may stay PROCESSING before reconciliation
 * takes it up (asks the provider for its answer)
 * @param maxProcessingAttempts processing attempts (each may fail at the provider or at
 * the database) before a payment's request is dead-lettered and settled from the
 * provider's record
 * @param unresolvedAfter how long a payment may stay PROCESSING while the provider cannot
 * say what happened before it is FAILED as unresolved; with the reconciliation interval
 * this bounds how long any payment stays PROCESSING
 * @param createdTimeout how long a payment may stay CREATED (its processing request not
 * yet consumed) before reconciliation issues the request again; longer than processing
 * normally takes to begin, so a healthy backlog is not sent twice
 * @param reconciliationInterval how often reconciliation runs, and how long after start
 * it runs first; with created-timeout (or processing-timeout) and the processor's retries
 * it bounds how long a payment stays open after a crash (docs/payments.md)
 * @param idempotencyPurgeInterval how often expired Idempotency-Keys are removed
 */
@Validated
@ConfigurationProperties("quartet.payments")
public record PaymentsSettings(@NotNull @DefaultValue("24h") Duration idempotencyKeyRetention,
        @NotNull @DefaultValue("1m") Duration processingTimeout, @Min(1) @DefaultValue("4") int maxProcessingAttempts,
        @NotNull @DefaultValue("10m") Duration unresolvedAfter, @NotNull @DefaultValue("1m") Duration createdTimeout,
        @NotNull @DefaultValue("15s") Duration reconciliationInterval,
        @NotNull @DefaultValue("10m") Duration idempotencyPurgeInterval) {
}
