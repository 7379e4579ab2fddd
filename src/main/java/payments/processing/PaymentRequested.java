package payments.processing;

import java.util.UUID;

import org.springframework.modulith.events.Externalized;

/**
 * Work for the processor: committed with the payment, then handed to Kafka by the outbox,
 * so a payment is never accepted without its processing request (and vice versa).
 */
@Externalized(PaymentProcessor.TOPIC + "::#{#this.paymentId()}")
public record PaymentRequested(UUID paymentId) {
}
