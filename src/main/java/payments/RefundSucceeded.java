package payments;

import java.util.UUID;

/**
 * Money went back to the customer. Externalized to Kafka topic refund.succeeded, keyed by
 * order.
 *
 * @param owner the API client the order belongs to: its webhooks go to that client's
 * endpoints only; the legacy owner when the event was published before events had one
 */
@org.springframework.modulith.events.Externalized("refund.succeeded::#{#this.orderId()}")
public record RefundSucceeded(UUID refundId, UUID paymentId, UUID orderId, long amountMinor, String currency,
        boolean fullyRefunded, String owner) {

    public RefundSucceeded {
        owner = LegacyOwner.orLegacy(owner);
    }
}
