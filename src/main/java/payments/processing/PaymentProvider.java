package payments.processing;

import java.util.UUID;

import payments.money.Money;

/** The port to whoever moves the money. Charges are idempotent by payment id. */
public interface PaymentProvider {

    /** The provider's final answer to a charge. */
    enum Outcome {

        APPROVED, DECLINED

    }

    record Result(Outcome outcome, String reason) {
    }

    /**
     * Charges the payment method; asking again for the same payment returns the first
     * answer.
     * @throws TransientProviderFailure when the provider could not answer now (worth
     * retrying)
     */
    Result charge(UUID payment, Money amount, String paymentMethod);

    /**
     * The provider's answer for a payment it was asked to charge, if it has one. A charge
     * is recorded before it is answered, so an approval whose answer was lost is found
     * here; empty means the provider holds no charge for the payment yet (a charge still
     * in flight, sent by a processor that then crashed, may appear later: the reconciler
     * keeps asking).
     */
    java.util.Optional<Result> lookup(UUID payment);

    /**
     * Sends part or all of a captured payment back; asking again for the same refund
     * returns the first answer.
     * @throws TransientProviderFailure when the provider could not answer now (worth
     * retrying)
     */
    Result refund(UUID refund, UUID payment, Money amount, String paymentMethod);

    /**
     * The provider's answer for a refund it was asked for, if it has one (as
     * {@link #lookup}).
     */
    java.util.Optional<Result> lookupRefund(UUID refund);

    /**
     * A failure worth retrying: the provider was unavailable or did not answer in time.
     */
    class TransientProviderFailure extends RuntimeException {

        public TransientProviderFailure(String message) {
            super(message);
        }

    }

}
