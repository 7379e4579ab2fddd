package payments.order;

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
 * The order aggregate: CREATED, then PAID once a payment for it succeeds, or CANCELLED.
 */
@Table(schema = "payments", name = "orders")
public class Order {

    @Id
    private final UUID id;

    private final String owner;

    private final String customerReference;

    private final String currency;

    private final long totalMinor;

    @MappedCollection(idColumn = "order_id", keyColumn = "position")
    private final List<OrderItem> items;

    private OrderStatus status;

    private @Nullable UUID paidBy;

    private final Instant createdAt;

    private Instant updatedAt;

    @Version
    private @Nullable Long version;

    @PersistenceCreator
    Order(UUID id, String owner, String customerReference, String currency, long totalMinor, List<OrderItem> items,
            OrderStatus status, @Nullable UUID paidBy, Instant createdAt, Instant updatedAt, @Nullable Long version) {
        this.id = id;
        this.owner = owner;
        this.customerReference = customerReference;
        this.currency = currency;
        this.totalMinor = totalMinor;
        this.items = new ArrayList<>(items);
        this.status = status;
        this.paidBy = paidBy;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.version = version;
    }

    /**
     * An order of the given API client whose total is the sum of its items, all in one
     * currency.
     */
    public static Order place(String owner, String customerReference, String currencyCode, List<OrderItem> items,
            Instant now) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("An order needs at least one item");
        }
        Money total = Money.of(0, currencyCode);
        for (OrderItem item : items) {
            total = total.plus(Money.of(item.unitPriceMinor(), currencyCode).times(item.quantity()));
        }
        if (!total.isPositive()) {
            throw new IllegalArgumentException("An order's total must be more than zero");
        }
        return new Order(UUID.randomUUID(), owner, customerReference, currencyCode, total.minorUnits(), items,
                OrderStatus.CREATED, null, now, now, null);
    }

    /**
     * Notes that a payment for this order is being accepted. Saving the order afterwards
     * takes its optimistic lock, so accepting a payment and cancelling the order never
     * both succeed, and of concurrent payments for one order only one gets past this
     * point.
     */
    public void acceptPayment(Instant now) {
        if (status != OrderStatus.CREATED) {
            throw new IllegalStateException("Order " + id + " is " + status + " and cannot be paid");
        }
        updatedAt = now;
    }

    /**
     * Records the payment that paid this order. Only a CREATED order becomes paid: a
     * repeated success for the same payment is ignored (events are delivered at least
     * once), and a success that reaches an order no longer waiting for one (cancelled, or
     * paid by another payment) is refunded by {@code payments.payment.UnwantedCharges}
     * rather than refused here forever.
     * @return whether the order became paid just now
     */
    public boolean markPaid(UUID payment, Instant now) {
        if (status != OrderStatus.CREATED) {
            return false;
        }
        status = OrderStatus.PAID;
        paidBy = payment;
        updatedAt = now;
        return true;
    }

    /**
     * Whether a successful payment belongs to this order's life: it paid it, or it will
     * now.
     */
    public boolean wants(UUID payment) {
        return status == OrderStatus.CREATED || (status == OrderStatus.PAID && payment.equals(paidBy));
    }

    /**
     * Withdraws a CREATED order; the caller checks first that no live payment is attached
     * to it.
     */
    public void cancel(Instant now) {
        if (status != OrderStatus.CREATED) {
            throw new IllegalStateException(
                    "Order " + id + " is " + status + "; only a CREATED order can be cancelled");
        }
        status = OrderStatus.CANCELLED;
        updatedAt = now;
    }

    public UUID id() {
        return id;
    }

    /** The API client the order belongs to, and with it its payments. */
    public String owner() {
        return owner;
    }

    public String customerReference() {
        return customerReference;
    }

    public Money total() {
        return Money.of(totalMinor, currency);
    }

    public List<OrderItem> items() {
        return List.copyOf(items);
    }

    public OrderStatus status() {
        return status;
    }

    public @Nullable UUID paidBy() {
        return paidBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

}
