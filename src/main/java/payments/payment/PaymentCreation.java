package payments.payment;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import payments.money.Money;
import payments.order.Order;
import payments.order.OrderStatus;
import payments.order.Orders;
import payments.processing.PaymentRequested;

/**
 * Executes one payment request inside the caller's transaction: either a new payment (and its
 * processing request, through the outbox) or the business error that refused it. Both are
 * responses to store under the Idempotency-Key.
 */
@Component
class PaymentCreation {

    private final Orders orders;
    private final Payments payments;
    private final ApplicationEventPublisher events;
    private final Clock clock = Clock.systemUTC();

    PaymentCreation(Orders orders, Payments payments, ApplicationEventPublisher events) {
        this.orders = orders;
        this.payments = payments;
        this.events = events;
    }

    IdempotentExecution.Outcome execute(PaymentRequest request, String idempotencyKey, String instance) {
        Money amount;
        try {
            amount = Money.of(request.amount(), request.currency());
        }
        catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage(), instance);
        }
        Order order = orders.findById(request.orderId()).orElse(null);
        if (order == null) {
            return problem(HttpStatus.NOT_FOUND, "No order " + request.orderId(), instance);
        }
        if (order.status() != OrderStatus.CREATED) {
            return problem(HttpStatus.CONFLICT, "Order " + order.id() + " is " + order.status() + " and cannot be paid", instance);
        }
        if (!order.total().equals(amount)) {
            return problem(HttpStatus.UNPROCESSABLE_CONTENT, "The amount " + amount + " does not match the order's total " + order.total(), instance);
        }
        Payment payment = payments.save(Payment.create(order.id(), amount, request.paymentMethod(), idempotencyKey, clock.instant()));
        events.publishEvent(new PaymentRequested(payment.id()));
        return new IdempotentExecution.Outcome(HttpStatus.CREATED.value(), PaymentView.of(payment));
    }

    private static IdempotentExecution.Outcome problem(HttpStatus status, String detail, String instance) {
        return IdempotentExecution.problem(status, detail, instance);
    }
}
