package payments.payment;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import payments.idempotency.IdempotentExecution;
import payments.money.Money;
import payments.ownership.Caller;
import payments.processing.RefundRequested;

/**
 * Asks for one refund inside the caller's transaction: the refund is recorded PENDING
 * with its request to the provider (through the outbox), and settled when the provider
 * answers.
 */
@Component
class Refunds {

    record RefundView(UUID id, UUID paymentId, long amount, String currency, String display, String reason,
            RefundStatus status, String failureReason, Instant requestedAt, Instant settledAt,
            PaymentStatus paymentStatus, long refundedTotal, long pendingTotal) {

        static RefundView of(Payment payment, Refund refund) {
            Money amount = Money.of(refund.amountMinor(), payment.amount().currencyCode());
            return new RefundView(refund.id(), payment.id(), refund.amountMinor(), amount.currencyCode(),
                    amount.toString(), refund.reason(), refund.status(), refund.failureReason(), refund.at(),
                    refund.settledAt(), payment.status(), payment.refunded().minorUnits(),
                    payment.pendingRefunds().minorUnits());
        }
    }

    private final Payments payments;

    private final ApplicationEventPublisher events;

    private final Clock clock = Clock.systemUTC();

    Refunds(Payments payments, ApplicationEventPublisher events) {
        this.payments = payments;
        this.events = events;
    }

    /**
     * Refunds a payment the caller may see; another client's payment is not found (404).
     */
    IdempotentExecution.Outcome execute(UUID paymentId, RefundRequest request, String instance, Caller caller) {
        Payment payment = payments.findVisible(paymentId, caller).orElse(null);
        if (payment == null) {
            return IdempotentExecution.problem(HttpStatus.NOT_FOUND, "No payment " + paymentId, instance);
        }
        Money amount;
        try {
            amount = Money.of(request.amount(), request.currency());
        }
        catch (IllegalArgumentException e) {
            return IdempotentExecution.problem(HttpStatus.BAD_REQUEST, e.getMessage(), instance);
        }
        Refund refund;
        try {
            refund = request(payment, amount, request.reason());
        }
        catch (IllegalArgumentException e) {
            return IdempotentExecution.problem(HttpStatus.BAD_REQUEST, e.getMessage(), instance);
        }
        catch (IllegalStateException e) {
            return IdempotentExecution.problem(HttpStatus.CONFLICT, e.getMessage(), instance);
        }
        return new IdempotentExecution.Outcome(HttpStatus.CREATED.value(), RefundView.of(payment, refund));
    }

    /**
     * Records a PENDING refund and its request to the provider, in the caller's
     * transaction. Saving takes the aggregate's optimistic lock: of two concurrent
     * refunds one fails here.
     */
    Refund request(Payment payment, Money amount, String reason) {
        Refund refund = payment.requestRefund(amount, reason, clock.instant());
        payments.save(payment);
        events.publishEvent(new RefundRequested(refund.id(), payment.id()));
        return refund;
    }

}
