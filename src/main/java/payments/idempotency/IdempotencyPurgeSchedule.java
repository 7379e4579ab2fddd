package payments.idempotency;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import payments.config.PaymentsSettings;

/**
 * Times the purge of expired keys by {@link PaymentsSettings} rather than by a
 * placeholder repeating its default.
 */
@Component
class IdempotencyPurgeSchedule implements SchedulingConfigurer {

    private final IdempotencyKeys keys;

    private final PaymentsSettings settings;

    IdempotencyPurgeSchedule(IdempotencyKeys keys, PaymentsSettings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(keys::purgeExpired, settings.idempotencyPurgeInterval());
    }

}
