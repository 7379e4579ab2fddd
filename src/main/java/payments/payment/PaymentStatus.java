package payments.payment;

import java.util.EnumSet;
import java.util.Set;

/** Where a payment is in its life; the allowed moves are listed with each state. */
public enum PaymentStatus {

    /** Accepted and recorded; waiting for the processor to pick it up. */
    CREATED,
    /** The processor is talking to the payment provider. */
    PROCESSING,
    /** The provider captured the money. */
    SUCCEEDED,
    /** The provider declined, or processing gave up. */
    FAILED,
    /** Part of the captured money went back to the customer. */
    PARTIALLY_REFUNDED,
    /** All of the captured money went back to the customer; terminal. */
    REFUNDED;

    /** The states this one may move to. */
    public Set<PaymentStatus> next() {
        return switch (this) {
            case CREATED -> EnumSet.of(PROCESSING, FAILED);
            case PROCESSING -> EnumSet.of(SUCCEEDED, FAILED);
            case SUCCEEDED, PARTIALLY_REFUNDED -> EnumSet.of(PARTIALLY_REFUNDED, REFUNDED);
            case FAILED, REFUNDED -> EnumSet.noneOf(PaymentStatus.class);
        };
    }

    /** Whether processing is over: the provider's answer is in, one way or the other. */
    public boolean isSettled() {
        return this != CREATED && this != PROCESSING;
    }

}
