package shortener.service;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import shortener.ShortenerSettings;

/**
 * The module's periodic work, timed by {@link ShortenerSettings} rather than by a
 * placeholder repeating its default.
 */
@Component
class ShortenerSchedules implements SchedulingConfigurer {

    private final ClickFlusher clicks;

    private final ShortenerSettings settings;

    ShortenerSchedules(ClickFlusher clicks, ShortenerSettings settings) {
        this.clicks = clicks;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        // The first flush waits a whole interval, as every later one does.
        tasks.addFixedDelayTask(new FixedDelayTask(clicks::flushOnSchedule, settings.clickFlushInterval(),
                settings.clickFlushInterval()));
    }

}
