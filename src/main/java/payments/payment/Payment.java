package payments.payment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;
import payments.money.Money;

/**
 * The payment aggregate and its own state machine: every move goes through a guarded
 * method that refuses illegal transitions and records the move with its time and reason.
 * Concurrent writers are caught by optimistic locking on {@code version}.
 */
@Table(schema = "payments", name = "payments")
public class Payment {

    @Id
    private final UUID id;

    private final String owner;

    private final UUID orderId;

    private final long amountMinor;

    private final String currency;

    private final String paymentMethod;

    private PaymentStatus status;

    private @Nullable String failureReason;

    private final String idempotencyKey;

    private long refundedMinor;

    private long pendingRefundMinor;

    private final Instant createdAt;

    private Instant updatedAt;

    @MappedCollection(idColumn = "payment_id", keyColumn = "position")
    private final List<PaymentTransition> transitions;

    @MappedCollection(idColumn = "payment_id", keyColumn = "position")
    private final List<Refund> refunds;

    @Version
    private @Nullable Long version;

    @PersistenceCreator
    Payment(UUID id, String owner, UUID orderId, long amountMinor, String currency, String paymentMethod,
            PaymentStatus status, @Nullable String failureReason, String idempotencyKey, long refundedMinor,
            long pendingRefundMinor, Instant createdAt, Instant updatedAt, List<PaymentTransition> transitions,
            List<Refund> refunds, @Nullable Long version) {
        this.id = id;
        this.owner = owner;
        this.orderId = orderId;
        this.amountMinor = amountMinor;
        this.currency = currency;
        this.paymentMethod = paymentMethod;
        this.status = status;
        this.failureReason = failureReason;
        this.idempotencyKey = idempotencyKey;
        this.refundedMinor = refundedMinor;
        this.pendingRefundMinor = pendingRefundMinor;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.transitions = new ArrayList<>(transitions);
        this.refunds = new ArrayList<>(refunds);
        this.version = version;
    }

    /**
     * A new payment, CREATED.
     * @param owner the API client it belongs to: its order's owner, whoever asked for it
     * (the client itself or an admin), so its events reach that client's webhook
     * endpoints
     */
    public static Payment create(String owner, UUID orderId, Money amount, String paymentMethod, String idempotencyKey,
            Instant now) {
        var payment = new Payment(UUID.randomUUID(), owner, orderId, amount.minorUnits(), amount.currencyCode(),
                paymentMethod, PaymentStatus.CREATED, null, idempotencyKey, 0, 0, now, now, List.of(), List.of(), null);
        payment.transitions.add(new PaymentTransition(null, PaymentStatus.CREATED, "accepted", now));
        return payment;
    }

    public void markProcessing(Instant now) {
        markProcessing("sent to the payment provider", now);
    }

    /**
     * PROCESSING for another reason than a charge about to be sent, which the timeline
     * shows.
     */
    public void markProcessing(String reason, Instant now) {
        moveTo(PaymentStatus.PROCESSING, reason, now);
    }

    public void markSucceeded(Instant now) {
        moveTo(PaymentStatus.SUCCEEDED, "captured by the payment provider", now);
    }

    public void markFailed(String reason, Instant now) {
        moveTo(PaymentStatus.FAILED, reason, now);
        this.failureReason = reason;
    }

    /**
     * Asks for part or all of the captured money back. The refund stays PENDING until the
     * provider answers; pending and succeeded refunds together never exceed the amount
     * (here and by a CHECK constraint), and concurrent refunds are serialized by
     * optimistic locking.
     */
    public Refund requestRefund(Money amount, String reason, Instant now) {
        if (status != PaymentStatus.SUCCEEDED && status != PaymentStatus.PARTIALLY_REFUNDED) {
            throw new IllegalStateException(
                    "Payment " + id + " is " + status + "; only a captured payment can be refunded");
        }
        if (!amount.currency().equals(amount().currency())) {
            throw new IllegalArgumentException("A refund must be in " + amount().currencyCode());
        }
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("A refund must be more than zero");
        }
        if (amount.minorUnits() > refundableMinor()) {
            throw new IllegalStateException("Only " + Money.of(refundableMinor(), currency) + " of payment " + id
                    + " can still be refunded"
                    + (pendingRefundMinor > 0 ? " (" + Money.of(pendingRefundMinor, currency) + " is pending)" : ""));
        }
        Refund refund = Refund.pending(amount.minorUnits(), reason, now);
        refunds.add(refund);
        pendingRefundMinor += amount.minorUnits();
        updatedAt = now;
        return refund;
    }

    /**
     * Records the provider's answer to a pending refund: approved moves the payment to
     * PARTIALLY_REFUNDED or REFUNDED, refused frees the amount again.
     * @return the settled refund, or empty if it was settled before (answers arrive at
     * least once)
     */
    public java.util.Optional<Refund> settleRefund(UUID refundId, boolean approved, String failure, Instant now) {
        int index = indexOfRefund(refundId);
        Refund refund = refunds.get(index);
        if (!refund.isPending()) {
            return java.util.Optional.empty();
        }
        pendingRefundMinor -= refund.amountMinor();
        if (approved) {
            long refundedAfter = refundedMinor + refund.amountMinor();
            PaymentStatus target = refundedAfter == amountMinor ? PaymentStatus.REFUNDED
                    : PaymentStatus.PARTIALLY_REFUNDED;
            moveTo(target, "refunded " + Money.of(refund.amountMinor(), currency)
                    + (refund.reason() == null ? "" : ": " + refund.reason()), now);
            refundedMinor = refundedAfter;
            refund = refund.succeeded(now);
        }
        else {
            refund = refund.failed(failure, now);
            updatedAt = now;
        }
        refunds.set(index, refund);
        return java.util.Optional.of(refund);
    }

    public java.util.Optional<Refund> refund(UUID refundId) {
        return refunds.stream().filter(refund -> refund.id().equals(refundId)).findFirst();
    }

    /**
     * What may still be asked back: the amount less what was refunded and what is
     * pending.
     */
    public long refundableMinor() {
        return amountMinor - refundedMinor - pendingRefundMinor;
    }

    private int indexOfRefund(UUID refundId) {
        for (int i = 0; i < refunds.size(); i++) {
            if (refunds.get(i).id().equals(refundId)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Payment " + id + " has no refund " + refundId);
    }

    /**
     * Gives a payment whose processing gave up (dead-lettered, FAILED with reason retries
     * exhausted) another run. The only way out of FAILED, taken by an operator on
     * purpose.
     */
    public void requeueAfterDeadLetter(String retriesExhausted, Instant now) {
        if (status != PaymentStatus.FAILED || !retriesExhausted.equals(failureReason)) {
            throw new IllegalStateException(
                    "Only a payment that failed with '" + retriesExhausted + "' can be requeued; " + id + " is "
                            + status + (failureReason == null ? "" : " (" + failureReason + ")"));
        }
        transitions
            .add(new PaymentTransition(status, PaymentStatus.PROCESSING, "requeued from the dead-letter topic", now));
        status = PaymentStatus.PROCESSING;
        failureReason = null;
        updatedAt = now;
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

    /** The API client the payment belongs to: its order's owner. */
    public String owner() {
        return owner;
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

    /** Whether processing is over (the provider answered, or processing gave up). */
    public boolean isSettled() {
        return status.isSettled();
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public Money refunded() {
        return Money.of(refundedMinor, currency);
    }

    public Money pendingRefunds() {
        return Money.of(pendingRefundMinor, currency);
    }

    public List<Refund> refunds() {
        return List.copyOf(refunds);
    }

    public @Nullable String failureReason() {
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
