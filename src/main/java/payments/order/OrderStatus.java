package payments.order;

/** Where an order is in its life. */
public enum OrderStatus {

    /** Placed and waiting for a successful payment. */
    CREATED,
    /** A payment for its full amount succeeded. */
    PAID,
    /** Withdrawn before it was paid. */
    CANCELLED

}
