package payments.payment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;
import payments.money.Money;

/**
 * The payment aggregate and its own state machine: every move goes through a guarded method
 * that refuses illegal transitions and records the move with its time and reason. Concurrent
 * writers are caught by optimistic locking on {@code version}.
 */
@Table(schema = "payments", name = "payments")
public class Payment {

    @Id
    private final UUID id;
    private final UUID orderId;
    private final long amountMinor;
    private final String currency;
    private final String paymentMethod;
    private PaymentStatus status;
    private String failureReason;
    private final Instant createdAt;
    private Instant updatedAt;
    @MappedCollection(idColumn = "payment_id", keyColumn = "position")
    private final List<PaymentTransition> transitions;
    @Version
    private Long version;

    @PersistenceCreator
    Payment(UUID id, UUID orderId, long amountMinor, String currency, String paymentMethod, PaymentStatus status,
            String failureReason, Instant createdAt, Instant updatedAt, List<PaymentTransition> transitions, Long version) {
        this.id = id;
        this.orderId = orderId;
        this.amountMinor = amountMinor;
        this.currency = currency;
        this.paymentMethod = paymentMethod;
        this.status = status;
        this.failureReason = failureReason;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.transitions = new ArrayList<>(transitions);
        this.version = version;
    }

    public static Payment create(UUID orderId, Money amount, String paymentMethod, Instant now) {
        var payment = new Payment(UUID.randomUUID(), orderId, amount.minorUnits(), amount.currencyCode(), paymentMethod,
                PaymentStatus.CREATED, null, now, now, List.of(), null);
        payment.transitions.add(new PaymentTransition(null, PaymentStatus.CREATED, "accepted", now));
        return payment;
    }

    public void markProcessing(Instant now) {
        moveTo(PaymentStatus.PROCESSING, "sent to the payment provider", now);
    }

    public void markSucceeded(Instant now) {
        moveTo(PaymentStatus.SUCCEEDED, "captured by the payment provider", now);
    }

    public void markFailed(String reason, Instant now) {
        moveTo(PaymentStatus.FAILED, reason, now);
        this.failureReason = reason;
    }

    private void moveTo(PaymentStatus target, String reason, Instant now) {
        if (!status.next().contains(target)) {
            throw new IllegalPaymentTransition(id, status, target);
        }
        transitions.add(new PaymentTransition(status, target, reason, now));
        status = target;
        updatedAt = now;
    }

    public UUID id() {
        return id;
    }

    public UUID orderId() {
        return orderId;
    }

    public Money amount() {
        return Money.of(amountMinor, currency);
    }

    public String paymentMethod() {
        return paymentMethod;
    }

    public PaymentStatus status() {
        return status;
    }

    public boolean isTerminal() {
        return status.isTerminal();
    }

    public String failureReason() {
        return failureReason;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public List<PaymentTransition> transitions() {
        return List.copyOf(transitions);
    }
}
