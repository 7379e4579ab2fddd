package payments;

import java.util.UUID;

/** Money went back to the customer. Externalized to Kafka topic refund.succeeded, keyed by order. */
@org.springframework.modulith.events.Externalized("refund.succeeded::#{#this.orderId()}")
public record RefundSucceeded(UUID refundId, UUID paymentId, UUID orderId, long amountMinor, String currency, boolean fullyRefunded) {
}
