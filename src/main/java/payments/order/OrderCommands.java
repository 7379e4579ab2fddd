package payments.order;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.ResponseStatusException;
import payments.idempotency.IdempotencyKey;
import payments.idempotency.IdempotentExecution;
import payments.ownership.Caller;
import tools.jackson.databind.json.JsonMapper;

/**
 * The order commands as both transports run them: placing (optionally, over gRPC always,
 * under an Idempotency-Key with the payment API's semantics) and cancelling.
 */
@Component
class OrderCommands {

    private final Orders orders;

    private final IdempotentExecution idempotent;

    private final JsonMapper json;

    private final Clock clock = Clock.systemUTC();

    OrderCommands(Orders orders, IdempotentExecution idempotent, JsonMapper json) {
        this.orders = orders;
        this.idempotent = idempotent;
        this.json = json;
    }

    /**
     * Places the order under {@code key}; the answer is stored for replay (over HTTP or
     * gRPC).
     */
    ResponseEntity<String> place(String owner, OrderController.NewOrder request, IdempotencyKey key) {
        // Records serialize their components in declaration order: equal requests, equal
        // text.
        String canonical = "POST /api/orders\n" + json.writeValueAsString(request);
        // Keys are the client's own: the same key from another client is another request.
        return idempotent.run(owner, key, canonical,
                () -> new IdempotentExecution.Outcome(HttpStatus.CREATED.value(), placeNow(owner, request)));
    }

    OrderController.OrderView placeNow(String owner, OrderController.NewOrder request) {
        List<OrderItem> items = request.items()
            .stream()
            .map(item -> new OrderItem(item.description(), item.quantity(), item.unitPrice()))
            .toList();
        return OrderController.OrderView.of(orders
            .save(Order.place(owner, request.customerReference(), request.currency(), items, clock.instant())));
    }

    /**
     * Cancels under {@code key}: a refusal (not found, a live payment, not cancellable)
     * is an answer and is stored for replay like a success; a lost race is not (the key
     * is released).
     */
    ResponseEntity<String> cancel(UUID id, Caller caller, IdempotencyKey key) {
        String instance = "/api/orders/" + id + "/cancel";
        return idempotent.run(caller.client(), key, "POST " + instance, () -> {
            try {
                return new IdempotentExecution.Outcome(HttpStatus.OK.value(), cancelNow(id, caller));
            }
            catch (ErrorResponseException refused) {
                ProblemDetail body = refused.getBody();
                String code = body.getType() == null || "about:blank".equals(body.getType().toString()) ? null
                        : body.getType().toString().substring("/problems/".length());
                return IdempotentExecution.problem(HttpStatus.valueOf(body.getStatus()), code, body.getDetail(),
                        instance, body.getProperties() == null ? Map.of() : body.getProperties());
            }
            catch (IllegalStateException illegalMove) {
                return IdempotentExecution.problem(HttpStatus.CONFLICT, illegalMove.getMessage(), instance);
            }
        });
    }

    /**
     * Cancels a CREATED order without a live payment. The order is read before its
     * payments are looked at, and saved under its optimistic lock: a payment accepted in
     * between (which saves the order too) makes this save fail with 409, so no payment
     * slips past the check.
     */
    OrderController.OrderView cancelNow(UUID id, Caller caller) {
        Order order = orders.findVisible(id, caller)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No order " + id));
        orders.livePaymentOf(id).ifPresent(payment -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "Order " + id
                    + " has payment " + payment + " that is not FAILED; refund it instead of cancelling the order");
            problem.setType(URI.create("/problems/order-has-live-payment"));
            problem.setProperty("existingPayment", payment);
            throw new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
        });
        order.cancel(clock.instant());
        return OrderController.OrderView.of(orders.save(order));
    }

}
