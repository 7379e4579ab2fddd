package payments.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Sends FAILED notifications again once their backoff has passed, and takes over ones
 * whose sender never reported back, until {@code max-attempts}; then they stay FAILED
 * with their last error. Safe with several instances: each claims different rows (SKIP
 * LOCKED).
 */
@Component
class NotificationRetries implements SchedulingConfigurer {

    private static final int BATCH = 50;

    private final Notifications notifications;

    private final CustomerNotifier notifier;

    private final NotificationSettings settings;

    private final Clock clock = Clock.systemUTC();

    NotificationRetries(Notifications notifications, CustomerNotifier notifier, NotificationSettings settings) {
        this.notifications = notifications;
        this.notifier = notifier;
        this.settings = settings;
    }

    /** Every {@code retry-interval}, the first a whole interval after start. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::retryDue, settings.retryInterval(), settings.retryInterval()));
    }

    void retryDue() {
        List<Notifications.Recorded> claimed;
        do {
            Instant now = clock.instant();
            notifications.failAbandoned(settings.maxAttempts(), now);
            claimed = notifications.claimDue(settings.maxAttempts(), BATCH, now, now.plus(settings.claimTimeout()));
            claimed.forEach(notifier::send);
        }
        while (claimed.size() == BATCH);
    }

}
