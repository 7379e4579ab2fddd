package payments.payment;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import payments.idempotency.IdempotentExecution;
import payments.money.Money;
import payments.order.Order;
import payments.order.OrderStatus;
import payments.order.Orders;
import payments.ownership.Caller;
import payments.processing.PaymentRequested;

/**
 * Executes one payment request inside the caller's transaction: either a new payment (and
 * its processing request, through the outbox) or the business error that refused it. Both
 * are responses to store under the Idempotency-Key.
 *
 * <p>
 * An order has at most one live payment (not FAILED). PostgreSQL enforces it with the
 * partial unique index payments_one_live_per_order; the order is saved first under its
 * optimistic lock, so concurrent payments (and a concurrent cancel) for one order are
 * serialized on the order row and all but one fail before they reach the index.
 *
 * <p>
 * Only an order the caller may see can be paid: another client's order is not found
 * (404), and the payment belongs to the order's owner.
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

    IdempotentExecution.Outcome execute(PaymentRequest request, String idempotencyKey, String instance, Caller caller) {
        Money amount;
        try {
            amount = Money.of(request.amount(), request.currency());
        }
        catch (IllegalArgumentException e) {
            return problem(HttpStatus.BAD_REQUEST, e.getMessage(), instance);
        }
        Order order = orders.findVisible(request.orderId(), caller).orElse(null);
        if (order == null) {
            return problem(HttpStatus.NOT_FOUND, "No order " + request.orderId(), instance);
        }
        IdempotentExecution.Outcome refused = refusal(order, instance);
        if (refused != null) {
            return refused;
        }
        if (!order.total().equals(amount)) {
            return problem(HttpStatus.UNPROCESSABLE_CONTENT,
                    "The amount " + amount + " does not match the order's total " + order.total(), instance);
        }
        order.acceptPayment(clock.instant());
        // the order's optimistic lock: a concurrent payment or cancel of this order fails
        // here
        orders.save(order);
        Payment payment = payments.save(Payment.create(order.owner(), order.id(), amount, request.paymentMethod(),
                idempotencyKey, clock.instant()));
        events.publishEvent(new PaymentRequested(payment.id()));
        return new IdempotentExecution.Outcome(HttpStatus.CREATED.value(), PaymentView.of(payment));
    }

    /**
     * The answer for a request that lost a race on its order (another payment or a cancel
     * committed first), read after its transaction rolled back.
     */
    IdempotentExecution.Outcome lostRace(UUID orderId, String instance, Caller caller) {
        return orders.findVisible(orderId, caller)
            .map(order -> refusal(order, instance))
            .orElseGet(
                    () -> problem(HttpStatus.CONFLICT, "Order " + orderId + " changed concurrently; retry", instance));
    }

    /** Why this order cannot take a new payment now, or null if it can. */
    private IdempotentExecution.@Nullable Outcome refusal(Order order, String instance) {
        var live = orders.livePaymentOf(order.id());
        if (live.isPresent()) {
            String status = payments.findById(live.get()).map(payment -> payment.status().name()).orElse("live");
            return IdempotentExecution.problem(HttpStatus.CONFLICT, "order-has-live-payment",
                    "Order " + order.id() + " already has payment " + live.get() + " (" + status
                            + "); a new payment is allowed only once it has FAILED",
                    instance, Map.of("existingPayment", live.get()));
        }
        if (order.status() != OrderStatus.CREATED) {
            return IdempotentExecution.problem(HttpStatus.CONFLICT, "order-not-payable",
                    "Order " + order.id() + " is " + order.status() + " and cannot be paid", instance, Map.of());
        }
        return null;
    }

    private static IdempotentExecution.Outcome problem(HttpStatus status, String detail, String instance) {
        return IdempotentExecution.problem(status, detail, instance);
    }

}
