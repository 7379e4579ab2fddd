package shortener.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import shortener.ClicksRecorded;

/**
 * {@code quartet.shortener.clicks.flush.lag}: when a batch of clicks is committed to
 * PostgreSQL, how long ago its oldest click was served. A histogram: normally about the
 * flush interval; it grows when flushing falls behind or a batch waits to be taken over.
 */
@Component
class ClickFlushLag {

    private final Timer lag;

    private final Clock clock;

    ClickFlushLag(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.lag = Timer.builder("quartet.shortener.clicks.flush.lag")
            .description("Age of a batch's oldest click when the batch is committed to PostgreSQL")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(100))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(ClicksRecorded batch) {
        batch.clicks()
            .stream()
            .map(ClicksRecorded.Click::at)
            .min(Instant::compareTo)
            .ifPresent(oldest -> lag.record(Duration.between(oldest, clock.instant())));
    }

}
