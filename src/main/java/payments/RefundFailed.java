package payments;

import java.util.UUID;

/**
 * The provider refused to send money back; the refund's amount is refundable again.
 * Externalized to Kafka topic refund.failed, keyed by order.
 */
@org.springframework.modulith.events.Externalized("refund.failed::#{#this.orderId()}")
public record RefundFailed(UUID refundId, UUID paymentId, UUID orderId, long amountMinor, String currency, String reason) {
}
