package payments;

import java.util.UUID;

/** An order was paid in full. Externalized to Kafka topic order.paid, keyed by order. */
@org.springframework.modulith.events.Externalized("order.paid::#{#this.orderId()}")
public record OrderPaid(UUID orderId, UUID paymentId, long amountMinor, String currency, String customerReference) {
}
