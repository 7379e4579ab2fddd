package quartet.platform.messaging;

import java.time.Duration;
import java.time.Instant;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How failed event publications are resubmitted ({@code quartet.events.resubmission.*}).
 *
 * @param interval how often the resubmission job runs, and how long after start it runs
 * first
 * @param minAge the wait after the first failed attempt; it doubles after every further
 * one (1 min, 2 min, 4 min, ...)
 * @param maxAttempts attempts a listener gets on one publication, the first delivery
 * included; after the last one fails the publication is given up: it stays in the
 * registry, FAILED, with its reason, and only a resubmission by hand runs it again (with
 * a fresh budget)
 * @param batchSize publications resubmitted at most per run
 */
@Validated
@ConfigurationProperties("quartet.events.resubmission")
record ResubmissionSettings(@NotNull @DefaultValue("30s") Duration interval,
        @NotNull @DefaultValue("1m") Duration minAge, @Min(1) @DefaultValue("8") int maxAttempts,
        @Min(1) @DefaultValue("100") int batchSize) {

    /**
     * Whether a publication with this many attempts counted against its budget gets no
     * more automatic ones.
     */
    boolean givesUpAfter(int attemptsInBudget) {
        return attemptsInBudget >= maxAttempts;
    }

    /**
     * When the next automatic attempt is due after the given one, or null once the budget
     * is spent.
     */
    @Nullable Instant nextAttemptAfter(Instant lastAttempt, int attemptsInBudget) {
        return givesUpAfter(attemptsInBudget) ? null : lastAttempt.plus(backoff(attemptsInBudget));
    }

    /** The wait after the n-th attempt: min-age, doubled per attempt after the first. */
    Duration backoff(int attemptsInBudget) {
        int doublings = Math.min(Math.max(attemptsInBudget, 1) - 1, 30);
        return minAge.multipliedBy(1L << doublings);
    }
}
