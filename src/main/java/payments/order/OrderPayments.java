package payments.order;

import java.time.Clock;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;
import payments.OrderPaid;
import payments.PaymentSucceeded;

/** Marks an order PAID when a payment for it succeeds; idempotent by the payment id. */
@Component
class OrderPayments {

    private final Orders orders;

    private final ApplicationEventPublisher events;

    private final Clock clock = Clock.systemUTC();

    OrderPayments(Orders orders, ApplicationEventPublisher events) {
        this.orders = orders;
        this.events = events;
    }

    @ApplicationModuleListener(id = "payments.mark-order-paid")
    void on(PaymentSucceeded payment) {
        orders.findById(payment.orderId()).ifPresent(order -> {
            if (order.markPaid(payment.paymentId(), clock.instant())) {
                orders.save(order);
                events.publishEvent(new OrderPaid(order.id(), payment.paymentId(), payment.amountMinor(),
                        payment.currency(), order.customerReference(), order.owner()));
            }
        });
    }

}
