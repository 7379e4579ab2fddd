package payments.processing;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import payments.PaymentFailed;
import payments.PaymentSucceeded;
import payments.RefundSucceeded;
import payments.payment.PaymentStatus;

/**
 * FlowPay's meters. From PostgreSQL, the same on every instance: payments by status and
 * the dead letters waiting for a requeue. Per instance, counted when the transaction that
 * made them commits: the transitions that settle a payment
 * ({@code quartet.payments.transitions}, by target status). Provider latency is
 * {@link ProviderCallMetrics}.
 */
@Component
class PaymentMetrics implements MeterBinder {

    /**
     * One query serves all gauges it feeds for this long: scrapes from every instance do
     * not add a query per gauge.
     */
    private static final Duration SCRAPE_READ = Duration.ofSeconds(5);

    /** The moves that publish an event: into these statuses. */
    private static final List<PaymentStatus> SETTLED_BY_EVENT = List.of(PaymentStatus.SUCCEEDED, PaymentStatus.FAILED,
            PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED);

    private final LoadingCache<Boolean, Map<PaymentStatus, Long>> byStatus;

    private final LoadingCache<Boolean, Long> deadLetters;

    private final Map<PaymentStatus, Counter> transitions = new EnumMap<>(PaymentStatus.class);

    PaymentMetrics(JdbcClient jdbc) {
        this.byStatus = Caffeine.newBuilder().expireAfterWrite(SCRAPE_READ).build(unused -> {
            Map<PaymentStatus, Long> counts = new EnumMap<>(PaymentStatus.class);
            for (PaymentStatus status : PaymentStatus.values()) {
                counts.put(status, 0L);
            }
            jdbc.sql("SELECT status, count(*) FROM payments.payments GROUP BY status").query(rs -> {
                counts.put(PaymentStatus.valueOf(rs.getString(1)), rs.getLong(2));
            });
            return counts;
        });
        this.deadLetters = Caffeine.newBuilder()
            .expireAfterWrite(SCRAPE_READ)
            .build(unused -> jdbc.sql("SELECT count(*) FROM payments.dead_letters WHERE requeued_at IS NULL")
                .query(Long.class)
                .single());
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(PaymentSucceeded succeeded) {
        transitionTo(PaymentStatus.SUCCEEDED);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(PaymentFailed failed) {
        transitionTo(PaymentStatus.FAILED);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(RefundSucceeded refunded) {
        transitionTo(refunded.fullyRefunded() ? PaymentStatus.REFUNDED : PaymentStatus.PARTIALLY_REFUNDED);
    }

    private void transitionTo(PaymentStatus status) {
        Counter counter = transitions.get(status);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PaymentStatus status : PaymentStatus.values()) {
            String tag = status.name().toLowerCase(Locale.ROOT);
            Gauge.builder("quartet.payments", byStatus, read -> read.get(true).get(status))
                .description("Payments by status")
                .tag("status", tag)
                .register(registry);
        }
        for (PaymentStatus settled : SETTLED_BY_EVENT) {
            transitions.put(settled,
                    Counter.builder("quartet.payments.transitions")
                        .description("Payments moved to a settled status (committed)")
                        .tag("to", settled.name().toLowerCase(Locale.ROOT))
                        .register(registry));
        }
        Gauge.builder("quartet.payments.dead.letters", deadLetters, read -> read.get(true))
            .description("Payments on the dead-letter topic, not requeued")
            .register(registry);
        for (String operation : new String[] { "charge", "refund" }) {
            for (String outcome : new String[] { "approved", "declined", "error" }) {
                ProviderCallMetrics.timer(registry, operation, outcome);
            }
        }
    }

}
