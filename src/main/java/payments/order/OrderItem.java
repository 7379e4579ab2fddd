package payments.order;

import org.springframework.data.relational.core.mapping.Table;

/** One line of an order: how many of what, at which unit price in minor units. */
@Table(schema = "payments", name = "order_items")
public record OrderItem(String description, int quantity, long unitPriceMinor) {
}
