package payments.payment;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.data.relational.core.mapping.Table;

/**
 * Money asked back for a payment, and what the provider answered.
 *
 * @param at when the refund was requested
 * @param settledAt when the provider's answer was recorded; null while PENDING
 */
@Table(schema = "payments", name = "refunds")
public record Refund(UUID id, long amountMinor, String reason, RefundStatus status, @Nullable String failureReason,
        Instant at, @Nullable Instant settledAt) {

    static Refund pending(long amountMinor, String reason, Instant now) {
        return new Refund(UUID.randomUUID(), amountMinor, reason, RefundStatus.PENDING, null, now, null);
    }

    Refund succeeded(Instant now) {
        return new Refund(id, amountMinor, reason, RefundStatus.SUCCEEDED, null, at, now);
    }

    Refund failed(String why, Instant now) {
        return new Refund(id, amountMinor, reason, RefundStatus.FAILED, why, at, now);
    }

    public boolean isPending() {
        return status == RefundStatus.PENDING;
    }
}
