package payments.payment;

import java.util.UUID;

/**
 * A move the payment state machine does not allow, such as succeeding a failed payment.
 */
public class IllegalPaymentTransition extends IllegalStateException {

    IllegalPaymentTransition(UUID payment, PaymentStatus from, PaymentStatus to) {
        super("Payment " + payment + " cannot move from " + from + " to " + to + "; allowed from " + from + ": "
                + from.next());
    }

}
