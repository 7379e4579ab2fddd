package quartet.platform.messaging;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Retries event publications that failed (a listener threw, a broker did not confirm) or
 * that the staleness monitor marked failed (an instance died mid-delivery), a bounded
 * number of times with a doubling wait ({@link ResubmissionSettings}). A publication
 * whose budget is spent is given up: it stays FAILED in the registry with its last
 * reason, listed by {@code GET /api/events/failed}, until it is resubmitted by hand.
 * Resubmission claims each publication first, so several instances never deliver the same
 * one twice at once; listeners stay idempotent for the crash between work and completion.
 */
@Component
class EventPublicationResubmitter implements SchedulingConfigurer {

    private final FailedEventPublications failed;

    private final FailedPublications publications;

    private final ResubmissionSettings settings;

    EventPublicationResubmitter(FailedEventPublications failed, FailedPublications publications,
            ResubmissionSettings settings) {
        this.failed = failed;
        this.publications = publications;
        this.settings = settings;
    }

    /** Every {@code interval}, the first a whole interval after start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(
                new FixedDelayTask(this::resubmitFailedPublications, settings.interval(), settings.interval()));
    }

    void resubmitFailedPublications() {
        resubmitDueAt(Instant.now());
    }

    /**
     * Resubmits the publications whose next attempt is due at {@code now}; returns how
     * many were due.
     */
    int resubmitDueAt(Instant now) {
        publications.forgetCompleted();
        List<FailedPublications.Candidate> due = publications.withinBudget(settings.maxAttempts())
            .stream()
            .filter(candidate -> !settings.nextAttemptAfter(candidate.lastAttemptAt(), candidate.attemptsInBudget())
                .isAfter(now))
            .limit(settings.batchSize())
            .toList();
        if (due.isEmpty()) {
            return 0;
        }
        resubmit(due.stream().map(FailedPublications.Candidate::id).collect(Collectors.toUnmodifiableSet()),
                due.get(due.size() - 1).publicationDate());
        return due.size();
    }

    /** Hands a publication resubmitted by hand to Modulith, like a due one. */
    void resubmitNow(FailedPublications.FailedPublication publication) {
        resubmit(Set.of(publication.id()), publication.publicationDate());
    }

    private void resubmit(Set<UUID> ids, Instant latestPublicationDate) {
        // Modulith claims (marks RESUBMITTED, counts the attempt) and runs each
        // publication the filter lets through.
        failed.resubmit(ResubmissionOptions.defaults()
            .withBatchSize(Math.max(1, publications.batchReaching(latestPublicationDate)))
            .withFilter(publication -> ids.contains(publication.getIdentifier())));
    }

}
