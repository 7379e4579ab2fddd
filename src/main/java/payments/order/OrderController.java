package payments.order;

import java.net.URI;
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
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import payments.idempotency.IdempotencyKey;
import payments.ownership.Caller;
import tools.jackson.databind.json.JsonMapper;

/**
 * Orders: place (optionally under an Idempotency-Key, with the payment API's semantics),
 * read, list, cancel. They become PAID when a payment for them succeeds; an order with a
 * live payment cannot be cancelled. An order belongs to the client that placed it:
 * another client gets 404 for it and never sees it listed; an admin sees and cancels any.
 */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    record NewOrder(@NotBlank @Size(max = 100) String customerReference,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code") String currency,
            @NotEmpty @Size(max = 100) List<@NotNull @Valid NewItem> items) {
    }

    record NewItem(@NotBlank @Size(max = 200) String description, @Min(1) @Max(10_000) int quantity,
            @PositiveOrZero long unitPrice) {
    }

    record OrderView(UUID id, String owner, String customerReference, OrderStatus status, long total, String currency,
            String display, List<OrderItem> items, UUID paidBy, Instant createdAt, Instant updatedAt) {

        static OrderView of(Order order) {
            return new OrderView(order.id(), order.owner(), order.customerReference(), order.status(),
                    order.total().minorUnits(), order.total().currencyCode(), order.total().toString(), order.items(),
                    order.paidBy(), order.createdAt(), order.updatedAt());
        }
    }

    record PageView<T>(List<T> items, int page, int size, long totalItems) {
    }

    private final Orders orders;

    private final OrderCommands commands;

    private final JsonMapper json;

    OrderController(Orders orders, OrderCommands commands, JsonMapper json) {
        this.orders = orders;
        this.commands = commands;
        this.json = json;
    }

    @PostMapping
    ResponseEntity<?> place(@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody NewOrder request, Authentication client) {
        if (idempotencyKey == null) {
            OrderView order = commands.placeNow(client.getName(), request);
            return ResponseEntity.created(URI.create("/api/orders/" + order.id())).body(order);
        }
        IdempotencyKey key;
        try {
            key = IdempotencyKey.parse(idempotencyKey);
        }
        catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        ResponseEntity<String> answer = commands.place(client.getName(), request, key);
        if (answer.getStatusCode() == HttpStatus.CREATED) {
            UUID id = UUID.fromString(json.readTree(answer.getBody()).path("id").asString());
            return ResponseEntity.status(HttpStatus.CREATED)
                .headers(answer.getHeaders())
                .location(URI.create("/api/orders/" + id))
                .body(answer.getBody());
        }
        return answer;
    }

    @GetMapping("/{id}")
    OrderView get(@PathVariable UUID id, Authentication client) {
        return OrderView.of(find(id, Caller.of(client)));
    }

    @GetMapping
    PageView<OrderView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size, Authentication client) {
        Page<Order> found = orders.findVisible(Caller.of(client),
                PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return new PageView<>(found.map(OrderView::of).getContent(), page, size, found.getTotalElements());
    }

    /**
     * Cancels a CREATED order without a live payment (see
     * {@link OrderCommands#cancelNow}).
     */
    @PostMapping("/{id}/cancel")
    OrderView cancel(@PathVariable UUID id, Authentication client) {
        return commands.cancelNow(id, Caller.of(client));
    }

    private Order find(UUID id, Caller caller) {
        return orders.findVisible(id, caller)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
    }

}
