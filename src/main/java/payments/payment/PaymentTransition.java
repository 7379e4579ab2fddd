package payments.payment;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.data.relational.core.mapping.Table;

/** One move of a payment's state machine, kept forever for the payment's timeline. */
@Table(schema = "payments", name = "payment_transitions")
public record PaymentTransition(@Nullable PaymentStatus fromStatus, PaymentStatus toStatus, String reason, Instant at) {
}
