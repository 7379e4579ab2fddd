package payments;

import java.util.UUID;

/**
 * The provider refused to send money back; the refund's amount is refundable again.
 * Externalized to Kafka topic refund.failed, keyed by order.
 *
 * @param owner the API client the order belongs to: its webhooks go to that client's
 * endpoints only; the legacy owner when the event was published before events had one
 */
@org.springframework.modulith.events.Externalized("refund.failed::#{#this.orderId()}")
public record RefundFailed(UUID refundId, UUID paymentId, UUID orderId, long amountMinor, String currency,
        String reason, String owner) {

    public RefundFailed {
        owner = LegacyOwner.orLegacy(owner);
    }
}
