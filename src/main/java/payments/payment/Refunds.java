package payments.payment;

import java.time.Clock;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import payments.RefundSucceeded;
import payments.money.Money;

/**
 * Executes one refund inside the caller's transaction. The simulated provider returns money at
 * once, so a refund is recorded as succeeded; the aggregate keeps the sum within the amount.
 */
@Component
class Refunds {

    record RefundView(UUID id, UUID paymentId, long amount, String currency, String display, String reason,
            PaymentStatus paymentStatus, long refundedTotal) {
    }

    private final Payments payments;
    private final ApplicationEventPublisher events;
    private final Clock clock = Clock.systemUTC();

    Refunds(Payments payments, ApplicationEventPublisher events) {
        this.payments = payments;
        this.events = events;
    }

    IdempotentExecution.Outcome execute(UUID paymentId, RefundRequest request, String instance) {
        Payment payment = payments.findById(paymentId).orElse(null);
        if (payment == null) {
            return IdempotentExecution.problem(HttpStatus.NOT_FOUND, "No payment " + paymentId, instance);
        }
        if (!payment.status().next().contains(PaymentStatus.REFUNDED)) {
            return IdempotentExecution.problem(HttpStatus.CONFLICT, "Payment " + paymentId + " is " + payment.status()
                    + "; only a captured payment can be refunded", instance);
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
            refund = payment.refund(amount, request.reason(), clock.instant());
        }
        catch (IllegalArgumentException e) {
            return IdempotentExecution.problem(HttpStatus.BAD_REQUEST, e.getMessage(), instance);
        }
        catch (IllegalStateException e) {
            return IdempotentExecution.problem(HttpStatus.CONFLICT, e.getMessage(), instance);
        }
        payments.save(payment); // optimistic lock: a concurrent refund of the same payment fails here
        events.publishEvent(new RefundSucceeded(refund.id(), payment.id(), payment.orderId(), refund.amountMinor(),
                payment.amount().currencyCode(), payment.status() == PaymentStatus.REFUNDED));
        return new IdempotentExecution.Outcome(HttpStatus.CREATED.value(), new RefundView(refund.id(), payment.id(), refund.amountMinor(),
                amount.currencyCode(), amount.toString(), refund.reason(), payment.status(), payment.refunded().minorUnits()));
    }
}
