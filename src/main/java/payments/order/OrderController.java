package payments.order;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Orders: place, read, list, cancel. They become PAID when a payment for them succeeds. */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    record NewOrder(
            @NotBlank @Size(max = 100) String customerReference,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code") String currency,
            @NotEmpty @Size(max = 100) List<@Valid NewItem> items) {
    }

    record NewItem(@NotBlank @Size(max = 200) String description, @Min(1) @Max(10_000) int quantity,
            @PositiveOrZero long unitPrice) {
    }

    record OrderView(UUID id, String customerReference, OrderStatus status, long total, String currency, String display,
            List<OrderItem> items, UUID paidBy, Instant createdAt, Instant updatedAt) {

        static OrderView of(Order order) {
            return new OrderView(order.id(), order.customerReference(), order.status(), order.total().minorUnits(),
                    order.total().currencyCode(), order.total().toString(), order.items(), order.paidBy(), order.createdAt(),
                    order.updatedAt());
        }
    }

    record PageView<T>(List<T> items, int page, int size, long totalItems) {
    }

    private final Orders orders;
    private final Clock clock = Clock.systemUTC();

    OrderController(Orders orders) {
        this.orders = orders;
    }

    @PostMapping
    ResponseEntity<OrderView> place(@Valid @RequestBody NewOrder request) {
        List<OrderItem> items = request.items().stream()
            .map(item -> new OrderItem(item.description(), item.quantity(), item.unitPrice()))
            .toList();
        Order order = orders.save(Order.place(request.customerReference(), request.currency(), items, clock.instant()));
        return ResponseEntity.created(URI.create("/api/orders/" + order.id())).body(OrderView.of(order));
    }

    @GetMapping("/{id}")
    OrderView get(@PathVariable UUID id) {
        return OrderView.of(find(id));
    }

    @GetMapping
    PageView<OrderView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        Page<Order> found = orders.findAll(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return new PageView<>(found.map(OrderView::of).getContent(), page, size, found.getTotalElements());
    }

    @PostMapping("/{id}/cancel")
    OrderView cancel(@PathVariable UUID id) {
        Order order = find(id);
        order.cancel(clock.instant());
        return OrderView.of(orders.save(order));
    }

    private Order find(UUID id) {
        return orders.findById(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
    }
}
