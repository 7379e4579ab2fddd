package payments.payment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import payments.money.Money;

/**
 * A payment as the API shows it; {@code owner} is the client it belongs to, its order's.
 */
public record PaymentView(UUID id, String owner, UUID orderId, Amount amount, Amount refunded, Amount pendingRefunds,
        String paymentMethod, PaymentStatus status, @Nullable String failureReason, Instant createdAt,
        Instant updatedAt, List<PaymentTransition> transitions, List<Refund> refunds) {

    /** Minor units with their currency, plus the human form. */
    public record Amount(long minorUnits, String currency, String display) {

        static Amount of(Money money) {
            return new Amount(money.minorUnits(), money.currencyCode(), money.toString());
        }
    }

    public static PaymentView of(Payment payment) {
        return new PaymentView(payment.id(), payment.owner(), payment.orderId(), Amount.of(payment.amount()),
                Amount.of(payment.refunded()), Amount.of(payment.pendingRefunds()), payment.paymentMethod(),
                payment.status(), payment.failureReason(), payment.createdAt(), payment.updatedAt(),
                payment.transitions(), payment.refunds());
    }
}
