package payments;

import java.util.UUID;

/**
 * A payment ended without capturing money: declined, or given up after retries.
 * Externalized to Kafka topic payment.failed, keyed by order.
 *
 * @param owner the API client the order belongs to: its webhooks go to that client's
 * endpoints only; the legacy owner when the event was published before events had one
 */
@org.springframework.modulith.events.Externalized("payment.failed::#{#this.orderId()}")
public record PaymentFailed(UUID paymentId, UUID orderId, long amountMinor, String currency, String reason,
        String owner) {

    public PaymentFailed {
        owner = LegacyOwner.orLegacy(owner);
    }
}
