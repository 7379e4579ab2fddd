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
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import payments.idempotency.IdempotencyKey;
import payments.idempotency.IdempotentExecution;
import payments.ownership.Caller;
import tools.jackson.databind.json.JsonMapper;

/**
 * Orders: place (optionally under an Idempotency-Key, with the payment API's semantics), read,
 * list, cancel. They become PAID when a payment for them succeeds; an order with a live payment
 * cannot be cancelled. An order belongs to the client that placed it: another client gets 404
 * for it and never sees it listed; an admin sees and cancels any.
 */
@RestController
@RequestMapping("/api/orders")
class OrderController {

    record NewOrder(
            @NotBlank @Size(max = 100) String customerReference,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code") String currency,
            @NotEmpty @Size(max = 100) List<@NotNull @Valid NewItem> items) {
    }

    record NewItem(@NotBlank @Size(max = 200) String description, @Min(1) @Max(10_000) int quantity,
            @PositiveOrZero long unitPrice) {
    }

    record OrderView(UUID id, String owner, String customerReference, OrderStatus status, long total, String currency, String display,
            List<OrderItem> items, UUID paidBy, Instant createdAt, Instant updatedAt) {

        static OrderView of(Order order) {
            return new OrderView(order.id(), order.owner(), order.customerReference(), order.status(), order.total().minorUnits(),
                    order.total().currencyCode(), order.total().toString(), order.items(), order.paidBy(), order.createdAt(),
                    order.updatedAt());
        }
    }

    record PageView<T>(List<T> items, int page, int size, long totalItems) {
    }

    private final Orders orders;
    private final IdempotentExecution idempotent;
    private final JsonMapper json;
    private final Clock clock = Clock.systemUTC();

    OrderController(Orders orders, IdempotentExecution idempotent, JsonMapper json) {
        this.orders = orders;
        this.idempotent = idempotent;
        this.json = json;
    }

    @PostMapping
    ResponseEntity<?> place(@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody NewOrder request, Authentication client) {
        String owner = client.getName();
        if (idempotencyKey == null) {
            OrderView order = placeNow(owner, request);
            return ResponseEntity.created(location(order)).body(order);
        }
        IdempotencyKey key;
        try {
            key = IdempotencyKey.parse(idempotencyKey);
        }
        catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        // Records serialize their components in declaration order: equal requests, equal text.
        String canonical = "POST /api/orders\n" + json.writeValueAsString(request);
        // Keys are the client's own: the same key from another client is another request.
        ResponseEntity<String> answer = idempotent.run(owner, key, canonical,
                () -> new IdempotentExecution.Outcome(HttpStatus.CREATED.value(), placeNow(owner, request)));
        if (answer.getStatusCode() == HttpStatus.CREATED) {
            UUID id = UUID.fromString(json.readTree(answer.getBody()).path("id").asString());
            return ResponseEntity.status(HttpStatus.CREATED).headers(answer.getHeaders())
                .location(URI.create("/api/orders/" + id)).body(answer.getBody());
        }
        return answer;
    }

    private OrderView placeNow(String owner, NewOrder request) {
        List<OrderItem> items = request.items().stream()
            .map(item -> new OrderItem(item.description(), item.quantity(), item.unitPrice()))
            .toList();
        return OrderView.of(orders.save(Order.place(owner, request.customerReference(), request.currency(), items, clock.instant())));
    }

    private static URI location(OrderView order) {
        return URI.create("/api/orders/" + order.id());
    }

    @GetMapping("/{id}")
    OrderView get(@PathVariable UUID id, Authentication client) {
        return OrderView.of(find(id, Caller.of(client)));
    }

    @GetMapping
    PageView<OrderView> list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size, Authentication client) {
        Page<Order> found = orders.findVisible(Caller.of(client), PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        return new PageView<>(found.map(OrderView::of).getContent(), page, size, found.getTotalElements());
    }

    /**
     * Cancels a CREATED order without a live payment. The order is read before its payments are
     * looked at, and saved under its optimistic lock: a payment accepted in between (which saves
     * the order too) makes this save fail with 409, so no payment slips past the check.
     */
    @PostMapping("/{id}/cancel")
    OrderView cancel(@PathVariable UUID id, Authentication client) {
        Order order = find(id, Caller.of(client));
        orders.livePaymentOf(id).ifPresent(payment -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Order " + id + " has payment " + payment
                    + " that is not FAILED; refund it instead of cancelling the order");
            problem.setType(URI.create("/problems/order-has-live-payment"));
            problem.setProperty("existingPayment", payment);
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        });
        order.cancel(clock.instant());
        return OrderView.of(orders.save(order));
    }

    private Order find(UUID id, Caller caller) {
        return orders.findVisible(id, caller).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
    }
}
