package quartet.platform.messaging;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Retries event publications that failed (a listener threw, a broker did not confirm) or that
 * the staleness monitor marked failed (an instance died mid-delivery). Resubmission claims each
 * publication first, so several instances never deliver the same one twice at once; listeners
 * stay idempotent for the crash between work and completion.
 */
@Component
class EventPublicationResubmitter {

    private final FailedEventPublications failed;
    private final ResubmissionOptions options;

    EventPublicationResubmitter(FailedEventPublications failed,
            @Value("${quartet.events.resubmission.min-age:1m}") Duration minAge) {
        this.failed = failed;
        this.options = ResubmissionOptions.defaults().withMinAge(minAge).withBatchSize(100);
    }

    @Scheduled(fixedDelayString = "${quartet.events.resubmission.interval:30s}",
            initialDelayString = "${quartet.events.resubmission.interval:30s}")
    void resubmitFailedPublications() {
        failed.resubmit(options);
    }
}
