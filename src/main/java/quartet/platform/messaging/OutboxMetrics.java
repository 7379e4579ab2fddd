package quartet.platform.messaging;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The outbox (Spring Modulith's event publication registry) as gauges: how many
 * publications are still incomplete and how long the oldest has waited. Completed ones
 * move to the archive, so the table holds only the incomplete. Read from PostgreSQL, so
 * every instance reports the same cluster-wide values (a dashboard takes their max, not
 * their sum).
 */
@Component
class OutboxMetrics implements MeterBinder {

    /**
     * One query serves all gauges it feeds for this long: scrapes from every instance do
     * not add a query per gauge.
     */
    private static final Duration SCRAPE_READ = Duration.ofSeconds(5);

    private final LoadingCache<Boolean, Backlog> backlog;

    OutboxMetrics(JdbcClient jdbc) {
        this.backlog = Caffeine.newBuilder().expireAfterWrite(SCRAPE_READ).build(unused -> jdbc.sql("""
                SELECT count(*), coalesce(extract(epoch FROM now() - min(publication_date)), 0)
                FROM event_publication WHERE completion_date IS NULL
                """).query((rs, row) -> new Backlog(rs.getLong(1), rs.getDouble(2))).single());
    }

    private record Backlog(long incomplete, double oldestAgeSeconds) {
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("quartet.outbox.incomplete", backlog, read -> read.get(true).incomplete())
            .description("Event publications not yet completed by their listener or externalizer")
            .register(registry);
        Gauge.builder("quartet.outbox.oldest.incomplete.age", backlog, read -> read.get(true).oldestAgeSeconds())
            .description("How long the oldest incomplete event publication has waited")
            .baseUnit("seconds")
            .register(registry);
    }

}
