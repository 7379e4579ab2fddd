package shortener.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import shortener.ClicksRecorded;
import shortener.ClicksRecorded.Click;
import shortener.ShortenerSettings;
import shortener.repository.ClickBuffer;
import shortener.repository.ClickStatistics;

/**
 * Counts buffered clicks into PostgreSQL, batch by batch, and publishes each batch as one
 * {@link ClicksRecorded} event in the same transaction (one outbox row per batch, never
 * per click). Redirects buffer their clicks in this instance's memory, so a click reaches
 * PostgreSQL through exactly one batch whatever Redis does. It also drains clicks an
 * older version buffered in Redis: a batch claimed there stays until its transaction
 * committed; if this instance dies in between, another flush takes the batch over once it
 * is stalled, and the batch id recorded in PostgreSQL keeps it from being counted twice.
 */
@Service
public class ClickFlusher implements SchedulingConfigurer {

    private static final Log log = LogFactory.getLog(ClickFlusher.class);

    /** Batch ids are kept this long: far beyond any stalled batch coming back. */
    private static final Duration BATCH_MEMORY = Duration.ofDays(1);

    /** At most this many batches per run, so one run cannot monopolise the scheduler. */
    private static final int BATCHES_PER_RUN = 20;

    private final ClickBuffer buffer;

    private final LocalClickBuffer localClicks;

    private final ClickStatistics statistics;

    private final RedisAvailability redis;

    private final TransactionTemplate transaction;

    private final ApplicationEventPublisher events;

    private final ShortenerSettings settings;

    private final Clock clock;

    ClickFlusher(ClickBuffer buffer, LocalClickBuffer localClicks, ClickStatistics statistics, RedisAvailability redis,
            TransactionTemplate transaction, ApplicationEventPublisher events, ShortenerSettings settings,
            Clock clock) {
        this.buffer = buffer;
        this.localClicks = localClicks;
        this.statistics = statistics;
        this.redis = redis;
        this.transaction = transaction;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Flushes every {@code click-flush-interval}, the first a whole interval after start.
     */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::flushOnSchedule, settings.clickFlushInterval(),
                settings.clickFlushInterval()));
    }

    /** A failed run leaves the clicks buffered for the next. */
    void flushOnSchedule() {
        try {
            flush();
        }
        catch (RuntimeException e) {
            log.warn("Flushing clicks failed; they stay buffered for the next run", e);
        }
    }

    /**
     * Counts what is buffered now, in memory and in Redis; returns the number of clicks
     * counted.
     */
    public int flush() {
        int counted = flushLocalClicks();
        if (redis.worthTrying()) {
            try {
                counted += takeOverStalledBatches() + flushPendingClicks();
                redis.succeeded();
            }
            catch (RedisFailure e) {
                redis.failed(e.getCause());
            }
        }
        statistics.forgetBatchesFlushedBefore(clock.instant().minus(BATCH_MEMORY));
        return counted;
    }

    /**
     * Everything buffered when the run starts, however many batches that takes: memory is
     * the least safe place for clicks.
     */
    private int flushLocalClicks() {
        int counted = 0;
        for (int waiting = localClicks.size(); counted < waiting;) {
            List<Click> clicks = localClicks.drain(settings.clickBatchSize());
            if (clicks.isEmpty()) {
                break;
            }
            try {
                count(UUID.randomUUID(), clicks);
                counted += clicks.size();
            }
            catch (RuntimeException e) {
                localClicks.restore(clicks);
                throw e;
            }
        }
        return counted;
    }

    private int takeOverStalledBatches() {
        int counted = 0;
        Instant now = clock.instant();
        for (UUID batch : inRedis(
                () -> buffer.claimedBefore(now.minus(settings.stalledBatchAfter()), BATCHES_PER_RUN))) {
            List<Click> clicks = inRedis(() -> {
                buffer.reclaim(batch, now);
                return buffer.clicksOf(batch);
            });
            counted += count(batch, clicks) ? clicks.size() : 0;
            inRedis(() -> buffer.acknowledge(batch));
        }
        return counted;
    }

    private int flushPendingClicks() {
        int counted = 0;
        for (int round = 0; round < BATCHES_PER_RUN; round++) {
            UUID batch = UUID.randomUUID();
            List<Click> clicks = inRedis(() -> buffer.claim(batch, settings.clickBatchSize(), clock.instant()));
            if (clicks.isEmpty()) {
                break;
            }
            count(batch, clicks);
            inRedis(() -> buffer.acknowledge(batch));
            counted += clicks.size();
            if (clicks.size() < settings.clickBatchSize()) {
                break;
            }
        }
        return counted;
    }

    /**
     * Runs a Redis call, telling its failures apart from PostgreSQL's (both are
     * DataAccessExceptions).
     */
    private static <T extends @Nullable Object> T inRedis(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (DataAccessException e) {
            throw new RedisFailure(e);
        }
    }

    private static void inRedis(Runnable call) {
        inRedis(() -> {
            call.run();
            return null;
        });
    }

    private static final class RedisFailure extends RuntimeException {

        RedisFailure(DataAccessException cause) {
            super(cause);
        }

        @Override
        public synchronized DataAccessException getCause() {
            return (DataAccessException) super.getCause();
        }

    }

    /**
     * Adds the batch to the statistics and publishes it, in one transaction; false when
     * it was counted before.
     */
    private boolean count(UUID batch, List<Click> clicks) {
        Boolean added = transaction.execute(status -> {
            if (!statistics.add(batch, clicks, clock.instant())) {
                return false;
            }
            events.publishEvent(new ClicksRecorded(batch, clicks));
            return true;
        });
        return Boolean.TRUE.equals(added);
    }

}
