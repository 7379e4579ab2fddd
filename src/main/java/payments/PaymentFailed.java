package payments;

import java.util.UUID;

/**
 * A payment ended without capturing money: declined, or given up after retries. Externalized
 * to Kafka topic payment.failed, keyed by order.
 */
@org.springframework.modulith.events.Externalized("payment.failed::#{#this.orderId()}")
public record PaymentFailed(UUID paymentId, UUID orderId, long amountMinor, String currency, String reason) {
}
