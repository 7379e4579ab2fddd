package payments.processing;

import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import payments.payment.Payments;
import payments.processing.DeadLetterDecision.Action;
import payments.processing.DeadLetterDecision.Cause;
import payments.processing.DeadLetterDecision.ProviderRecord;

/**
 * Handles a processing request that ran out of attempts: records the dead letter for
 * operators, asks the provider what it knows, and acts as {@link DeadLetterDecision}
 * says. Every step is idempotent, so a database failure on the way is thrown as a
 * {@link TransientDatabaseFailure} and the dead-letter consumer runs the whole handling
 * again later (ProcessingConfiguration).
 */
@Component
class DeadLetterHandler {

    private static final Log log = LogFactory.getLog(DeadLetterHandler.class);

    private final DeadLetters deadLetters;

    private final Payments payments;

    private final PaymentProvider provider;

    private final PaymentProcessing processing;

    DeadLetterHandler(DeadLetters deadLetters, Payments payments, PaymentProvider provider,
            PaymentProcessing processing) {
        this.deadLetters = deadLetters;
        this.payments = payments;
        this.provider = provider;
        this.processing = processing;
    }

    void handle(UUID paymentId, String topic, String error, Cause cause) {
        Optional<PaymentProvider.Result> outcome = Optional.empty();
        ProviderRecord record;
        try {
            outcome = provider.lookup(paymentId);
            record = outcome.isPresent() ? ProviderRecord.OUTCOME : ProviderRecord.NO_CHARGE;
        }
        catch (RuntimeException e) {
            record = ProviderRecord.UNREACHABLE;
        }
        try {
            deadLetters.record(paymentId, topic, error);
            boolean open = payments.findById(paymentId).filter(payment -> !payment.isSettled()).isPresent();
            Action action = DeadLetterDecision.decide(open, record, cause);
            log.info("Payment " + paymentId + " dead-lettered (" + cause + ", provider: " + record + "): " + action);
            act(paymentId, action, outcome);
        }
        catch (RuntimeException e) {
            throw TransientDatabaseFailure.classify(e);
        }
    }

    private void act(UUID paymentId, Action action, Optional<PaymentProvider.Result> outcome) {
        switch (action) {
            case NOTHING -> {
            }
            case SETTLE_WITH_PROVIDER_OUTCOME -> processing.settle(paymentId, outcome.orElseThrow());
            case FAIL_RETRIES_EXHAUSTED -> processing.giveUp(paymentId, PaymentProcessing.RETRIES_EXHAUSTED);
            case PROCESS_AGAIN -> {
                try {
                    processing.process(paymentId);
                }
                catch (PaymentProvider.TransientProviderFailure e) {
                    // Now PROCESSING: the reconciler asks the provider again later.
                    log.info("Payment " + paymentId
                            + " met a provider failure after its dead letter; left to the reconciler");
                }
            }
            case LEAVE_TO_RECONCILER -> processing.holdForReconciliation(paymentId);
        }
    }

}
