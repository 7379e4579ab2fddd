package payments.processing;

import java.time.Clock;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import payments.RefundFailed;
import payments.RefundSucceeded;
import payments.money.Money;
import payments.payment.Payment;
import payments.payment.PaymentStatus;
import payments.payment.Payments;
import payments.payment.Refund;

/**
 * One refund attempt: the provider is asked outside any transaction, then its answer is
 * committed with {@code RefundSucceeded} or {@code RefundFailed}. Idempotent: a settled
 * refund is left alone, and the provider answers a repeated refund with its first answer.
 */
@Component
class RefundProcessing {

    private static final Log log = LogFactory.getLog(RefundProcessing.class);

    private static final int SETTLE_ATTEMPTS = 5;

    private final Payments payments;

    private final PaymentProvider provider;

    private final ApplicationEventPublisher events;

    private final TransactionTemplate transaction;

    private final Clock clock = Clock.systemUTC();

    RefundProcessing(Payments payments, PaymentProvider provider, ApplicationEventPublisher events,
            TransactionTemplate transaction) {
        this.payments = payments;
        this.provider = provider;
        this.events = events;
        this.transaction = transaction;
    }

    void process(UUID refundId, UUID paymentId) {
        Payment payment = payments.findById(paymentId).orElse(null);
        Refund refund = payment == null ? null : payment.refund(refundId).orElse(null);
        if (refund == null || !refund.isPending()) {
            log.debug("Refund " + refundId + " is unknown or already settled; nothing to do");
            return;
        }
        PaymentProvider.Result answer = provider.refund(refundId, paymentId,
                Money.of(refund.amountMinor(), payment.amount().currencyCode()), payment.paymentMethod());
        settle(paymentId, refundId, answer);
    }

    /**
     * Records the provider's answer; a concurrent change of the same payment (another
     * refund) is retried.
     */
    void settle(UUID paymentId, UUID refundId, PaymentProvider.Result answer) {
        for (int attempt = 1;; attempt++) {
            try {
                settleOnce(paymentId, refundId, answer);
                return;
            }
            catch (OptimisticLockingFailureException e) {
                if (attempt == SETTLE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void settleOnce(UUID paymentId, UUID refundId, PaymentProvider.Result answer) {
        transaction.executeWithoutResult(status -> {
            Payment payment = payments.findById(paymentId).orElseThrow();
            boolean approved = answer.outcome() == PaymentProvider.Outcome.APPROVED;
            payment.settleRefund(refundId, approved, answer.reason(), clock.instant()).ifPresent(refund -> {
                payments.save(payment);
                String currency = payment.amount().currencyCode();
                events.publishEvent(approved
                        ? new RefundSucceeded(refund.id(), payment.id(), payment.orderId(), refund.amountMinor(),
                                currency, payment.status() == PaymentStatus.REFUNDED, payment.owner())
                        : new RefundFailed(refund.id(), payment.id(), payment.orderId(), refund.amountMinor(), currency,
                                refund.failureReason(), payment.owner()));
            });
        });
    }

}
