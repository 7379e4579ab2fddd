package ratelimit;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * The module's periodic work, timed by {@link RateLimitSettings} rather than by a
 * placeholder repeating its default.
 */
@Component
class RateLimitSchedules implements SchedulingConfigurer {

    private final PolicyRateLimiter limiter;

    private final RateLimitSettings settings;

    RateLimitSchedules(PolicyRateLimiter limiter, RateLimitSettings settings) {
        this.limiter = limiter;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(limiter::evictIdleBuckets, settings.evictionInterval());
    }

}
