package payments.processing;

import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * Work for the refund processor: committed with the PENDING refund, then handed to Kafka
 * by the outbox (keyed by payment, so one payment's refunds are answered in order).
 */
@Externalized(RefundProcessor.TOPIC + "::#{#this.paymentId()}")
public record RefundRequested(UUID refundId, UUID paymentId) {
}
