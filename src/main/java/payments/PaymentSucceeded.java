package payments;

import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * A payment was captured. Externalized to Kafka topic payment.succeeded, keyed by order.
 *
 * @param owner the API client the order belongs to: its webhooks go to that client's
 * endpoints only; the legacy owner when the event was published before events had one
 */
@Externalized("payment.succeeded::#{#this.orderId()}")
public record PaymentSucceeded(UUID paymentId, UUID orderId, long amountMinor, String currency, String owner) {

    public PaymentSucceeded {
        owner = LegacyOwner.orLegacy(owner);
    }
}
