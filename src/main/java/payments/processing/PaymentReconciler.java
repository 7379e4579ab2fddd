package payments.processing;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import payments.config.PaymentsSettings;

/**
 * Settles payments stuck in PROCESSING (a processor crashed, or the provider's answer was lost):
 * after {@code processing-timeout} it asks the provider for the outcome and settles with it; if
 * the provider still cannot tell after {@code unresolved-after}, the payment FAILS as
 * unresolved. So no payment stays PROCESSING longer than unresolved-after plus one
 * reconciliation interval.
 */
@Component
class PaymentReconciler {

    static final String UNRESOLVED = "unresolved: the provider could not tell the outcome";

    private static final Log log = LogFactory.getLog(PaymentReconciler.class);

    private record Stuck(UUID id, Instant since) {
    }

    private final JdbcClient jdbc;
    private final PaymentProvider provider;
    private final PaymentProcessing processing;
    private final PaymentsSettings settings;
    private final Clock clock = Clock.systemUTC();

    PaymentReconciler(JdbcClient jdbc, PaymentProvider provider, PaymentProcessing processing, PaymentsSettings settings) {
        this.jdbc = jdbc;
        this.provider = provider;
        this.processing = processing;
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${quartet.payments.reconciliation-interval:30s}", initialDelayString = "${quartet.payments.reconciliation-interval:30s}")
    void reconcileNow() {
        reconcile(clock.instant());
    }

    /** @return how many stuck payments were settled */
    int reconcile(Instant now) {
        List<Stuck> stuck = jdbc.sql("""
                SELECT id, updated_at FROM payments.payments
                WHERE status = 'PROCESSING' AND updated_at < :cutoff ORDER BY updated_at LIMIT 100
                """)
            .param("cutoff", java.sql.Timestamp.from(now.minus(settings.processingTimeout())))
            .query((rs, row) -> new Stuck(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant()))
            .list();
        int settled = 0;
        for (Stuck payment : stuck) {
            try {
                var answer = provider.lookup(payment.id());
                if (answer.isPresent()) {
                    processing.settle(payment.id(), answer.get());
                    settled++;
                }
                else if (payment.since().isBefore(now.minus(settings.unresolvedAfter()))) {
                    processing.giveUp(payment.id(), UNRESOLVED);
                    settled++;
                }
            }
            catch (RuntimeException e) {
                // Another instance settled it meanwhile (optimistic lock), or the provider is down: next run.
                log.debug("Could not reconcile payment " + payment.id() + ": " + e.getMessage());
            }
        }
        if (settled > 0) {
            log.info("Reconciled " + settled + " payment(s) stuck in PROCESSING");
        }
        return settled;
    }
}
