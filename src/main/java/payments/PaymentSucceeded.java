package payments;

import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/** A payment was captured. Externalized to Kafka topic payment.succeeded, keyed by order. */
@Externalized("payment.succeeded::#{#this.orderId()}")
public record PaymentSucceeded(UUID paymentId, UUID orderId, long amountMinor, String currency) {
}
