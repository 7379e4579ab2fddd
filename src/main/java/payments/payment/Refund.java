package payments.payment;

import java.time.Instant;
import java.util.UUID;

import org.springframework.data.relational.core.mapping.Table;

/** Money sent back for a payment. */
@Table(schema = "payments", name = "refunds")
public record Refund(UUID id, long amountMinor, String reason, Instant at) {
}
