package payments.notification;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the notification sender ({@code quartet.payments.notifications.*}). The
 * Kafka consumer's own retry topics are set by {@code kafka-attempts},
 * {@code kafka-retry-initial-delay-ms} and {@code kafka-retry-max-delay-ms} (read by the
 * annotation, see {@link NotificationConsumer}).
 *
 * @param maxAttempts sends of one notification before it stays FAILED for good
 * @param retryInitialDelay wait after the first failed send; it doubles after each
 * further failure
 * @param retryMaxDelay the longest wait between two sends
 * @param retryInterval how often the retry job looks for notifications that are due
 * @param claimTimeout how long a send may take before another worker may take the
 * notification over (a crash between claiming and recording the result)
 * @param replayTimeout how long one replay may read before it answers with what it has
 * done
 */
@Validated
@ConfigurationProperties("quartet.payments.notifications")
record NotificationSettings(@Min(1) @DefaultValue("5") int maxAttempts,
        @NotNull @DefaultValue("30s") Duration retryInitialDelay, @NotNull @DefaultValue("30m") Duration retryMaxDelay,
        @NotNull @DefaultValue("10s") Duration retryInterval, @NotNull @DefaultValue("1m") Duration claimTimeout,
        @NotNull @DefaultValue("2m") Duration replayTimeout) {

    /** The wait after the given number of failed sends: exponential, capped. */
    Duration backoffAfter(int failedAttempts) {
        Duration delay = retryInitialDelay;
        for (int i = 1; i < failedAttempts && delay.compareTo(retryMaxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : delay;
    }
}
