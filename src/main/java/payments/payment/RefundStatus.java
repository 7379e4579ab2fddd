package payments.payment;

/** Where a refund is: asked of the provider, then answered one way or the other. */
public enum RefundStatus {

    /** Sent to the provider; its amount is held against the payment until the answer. */
    PENDING,
    /** The provider sent the money back. */
    SUCCEEDED,
    /** The provider refused; the amount can be refunded again. */
    FAILED

}
