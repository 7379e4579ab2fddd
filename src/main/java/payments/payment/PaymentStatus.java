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
    /** The provider declined, or processing gave up; terminal. */
    FAILED;

    /** The states this one may move to. */
    public Set<PaymentStatus> next() {
        return switch (this) {
            case CREATED -> EnumSet.of(PROCESSING, FAILED);
            case PROCESSING -> EnumSet.of(SUCCEEDED, FAILED);
            case SUCCEEDED, FAILED -> EnumSet.noneOf(PaymentStatus.class);
        };
    }

    public boolean isTerminal() {
        return next().isEmpty();
    }
}
