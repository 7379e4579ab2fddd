package webhooks.delivery;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import webhooks.WebhooksSettings;

/**
 * The module's periodic work, timed by {@link WebhooksSettings} (the one place its
 * settings and their defaults live) rather than by property placeholders repeating them.
 */
@Component
class DeliverySchedules implements SchedulingConfigurer {

    private final DeliveryRepublisher republisher;

    private final DeliveryRetention retention;

    private final WebhooksSettings settings;

    DeliverySchedules(DeliveryRepublisher republisher, DeliveryRetention retention, WebhooksSettings settings) {
        this.republisher = republisher;
        this.retention = retention;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // new deliveries do not wait for it: see publishAfterCommit
        tasks.addFixedDelayTask(republisher::run, settings.republishInterval());
        // Not at start-up: the first purge waits a whole interval, as every later one
        // does.
        tasks.addFixedDelayTask(
                new FixedDelayTask(retention::run, settings.retentionInterval(), settings.retentionInterval()));
    }

}
