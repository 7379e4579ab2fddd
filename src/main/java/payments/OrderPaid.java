package payments;

import java.util.UUID;

/**
 * An order was paid in full. Externalized to Kafka topic order.paid, keyed by order.
 *
 * @param owner the API client the order belongs to: its webhooks go to that client's
 * endpoints only; the legacy owner when the event was published before events had one
 */
@org.springframework.modulith.events.Externalized("order.paid::#{#this.orderId()}")
public record OrderPaid(UUID orderId, UUID paymentId, long amountMinor, String currency, String customerReference,
        String owner) {

    public OrderPaid {
        owner = LegacyOwner.orLegacy(owner);
    }
}
