package payments.processing;

import java.time.Clock;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import payments.PaymentFailed;
import payments.PaymentSucceeded;
import payments.payment.Payment;
import payments.payment.PaymentStatus;
import payments.payment.Payments;

/**
 * One processing attempt: PROCESSING is committed before the provider is called (so a
 * crash leaves a trace the reconciler can find), the provider is called outside any
 * transaction, and the outcome is committed with its event. Idempotent: a terminal
 * payment is left alone, and the provider answers a repeated charge with its first
 * answer.
 */
@Component
class PaymentProcessing {

    static final String RETRIES_EXHAUSTED = "retries exhausted";

    private static final Log log = LogFactory.getLog(PaymentProcessing.class);

    private final Payments payments;

    private final PaymentProvider provider;

    private final ApplicationEventPublisher events;

    private final TransactionTemplate transaction;

    private final Clock clock;

    PaymentProcessing(Payments payments, PaymentProvider provider, ApplicationEventPublisher events,
            TransactionTemplate transaction) {
        this.payments = payments;
        this.provider = provider;
        this.events = events;
        this.transaction = transaction;
        this.clock = Clock.systemUTC();
    }

    void process(UUID paymentId) {
        Payment payment = transaction.execute(status -> {
            Payment found = payments.findById(paymentId).orElse(null);
            if (found == null || found.isSettled()) {
                return null;
            }
            if (found.status() == PaymentStatus.CREATED) {
                found.markProcessing(clock.instant());
                return payments.save(found);
            }
            return found;
        });
        if (payment == null) {
            log.debug("Payment " + paymentId + " is unknown or already settled; nothing to do");
            return;
        }
        PaymentProvider.Result result = provider.charge(payment.id(), payment.amount(), payment.paymentMethod());
        log.debug("Payment " + paymentId + " charged: " + result.outcome());
        settle(paymentId, result);
    }

    /**
     * Leaves an open payment to the reconciler, which only looks at PROCESSING payments:
     * one still CREATED is moved there (its request is no longer in Kafka to move it).
     */
    void holdForReconciliation(UUID paymentId) {
        transaction.executeWithoutResult(status -> payments.findById(paymentId)
            .filter(payment -> payment.status() == PaymentStatus.CREATED)
            .ifPresent(payment -> {
                payment.markProcessing("dead-lettered: left to reconciliation", clock.instant());
                payments.save(payment);
            }));
    }

    void giveUp(UUID paymentId, String reason) {
        transaction.executeWithoutResult(status -> payments.findById(paymentId)
            .filter(payment -> !payment.isSettled())
            .ifPresent(payment -> fail(payment, reason)));
    }

    void settle(UUID paymentId, PaymentProvider.Result result) {
        try {
            settleOnce(paymentId, result);
        }
        catch (OptimisticLockingFailureException e) {
            // Another settler (the reconciler, or a retry on another instance) won the
            // race: done, not a failure.
            if (payments.findById(paymentId).filter(Payment::isSettled).isEmpty()) {
                throw e;
            }
            log.debug("Payment " + paymentId + " was settled concurrently; nothing to do");
        }
    }

    private void settleOnce(UUID paymentId, PaymentProvider.Result result) {
        transaction.executeWithoutResult(status -> {
            Payment payment = payments.findById(paymentId).orElseThrow();
            if (payment.isSettled()) {
                return;
            }
            if (result.outcome() == PaymentProvider.Outcome.APPROVED) {
                payment.markSucceeded(clock.instant());
                payments.save(payment);
                events.publishEvent(new PaymentSucceeded(payment.id(), payment.orderId(), payment.amount().minorUnits(),
                        payment.amount().currencyCode(), payment.owner()));
            }
            else {
                fail(payment, result.reason());
            }
        });
    }

    private void fail(Payment payment, String reason) {
        payment.markFailed(reason, clock.instant());
        payments.save(payment);
        events.publishEvent(new PaymentFailed(payment.id(), payment.orderId(), payment.amount().minorUnits(),
                payment.amount().currencyCode(), reason, payment.owner()));
    }

}
