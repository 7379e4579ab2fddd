package webhooks.delivery;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * DispatchGo's meters. Per instance: each attempt by outcome and its latency (a
 * histogram, so a dashboard can show percentiles across instances). From PostgreSQL, the
 * same on every instance: the pending backlog and the age of its oldest delivery, the
 * dead-lettered deliveries and the disabled endpoints.
 */
@Component
class DeliveryMetrics implements MeterBinder {

    /**
     * One query serves all gauges it feeds for this long: scrapes from every instance do
     * not add a query per gauge.
     */
    private static final Duration SCRAPE_READ = Duration.ofSeconds(5);

    private final LoadingCache<Boolean, Backlog> backlog;

    private final Map<RetryPolicy.Outcome, Counter> attempts = new EnumMap<>(RetryPolicy.Outcome.class);

    private final Map<RetryPolicy.Outcome, Timer> latencies = new EnumMap<>(RetryPolicy.Outcome.class);

    DeliveryMetrics(JdbcClient jdbc) {
        this.backlog = Caffeine.newBuilder()
            .expireAfterWrite(SCRAPE_READ)
            .build(unused -> jdbc.sql("""
                    SELECT (SELECT count(*) FROM webhooks.deliveries WHERE status = 'PENDING'),
                           (SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)
                              FROM webhooks.deliveries WHERE status = 'PENDING'),
                           (SELECT count(*) FROM webhooks.deliveries WHERE status = 'FAILED'),
                           (SELECT count(*) FROM webhooks.endpoints WHERE NOT enabled)
                    """)
                .query((rs, row) -> new Backlog(rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getLong(4)))
                .single());
    }

    private record Backlog(long pending, double oldestPendingAgeSeconds, long deadLettered, long disabledEndpoints) {
    }

    /**
     * One attempt ended: succeeded, will be retried, failed for good, or the endpoint is
     * gone.
     */
    void attempted(RetryPolicy.Outcome outcome, AttemptResult result) {
        Counter counter = attempts.get(outcome);
        if (counter != null) {
            counter.increment();
            latencies.get(outcome).record(Duration.ofMillis(result.latencyMillis()));
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (RetryPolicy.Outcome outcome : RetryPolicy.Outcome.values()) {
            String tag = outcome.name().toLowerCase(Locale.ROOT);
            attempts.put(outcome,
                    Counter.builder("quartet.webhooks.attempts")
                        .description("Delivery attempts by outcome")
                        .tag("outcome", tag)
                        .register(registry));
            latencies.put(outcome,
                    Timer.builder("quartet.webhooks.attempt.latency")
                        .description("From sending a webhook to its answer (or the error)")
                        .tag("outcome", tag)
                        .publishPercentileHistogram()
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry));
        }
        Gauge.builder("quartet.webhooks.deliveries.pending", backlog, read -> read.get(true).pending())
            .description("Deliveries waiting for their next attempt")
            .register(registry);
        Gauge
            .builder("quartet.webhooks.deliveries.oldest.pending.age", backlog,
                    read -> read.get(true).oldestPendingAgeSeconds())
            .description("How long the oldest pending delivery has existed")
            .baseUnit("seconds")
            .register(registry);
        Gauge.builder("quartet.webhooks.deliveries.dead.lettered", backlog, read -> read.get(true).deadLettered())
            .description("Deliveries that gave up (FAILED) and are kept for redrive")
            .register(registry);
        Gauge.builder("quartet.webhooks.endpoints.disabled", backlog, read -> read.get(true).disabledEndpoints())
            .description("Endpoints disabled by hand or for failing")
            .register(registry);
    }

}
