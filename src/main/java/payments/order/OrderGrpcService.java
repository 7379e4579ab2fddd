package payments.order;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.stub.StreamObserver;
import jakarta.validation.Validator;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.grpc.server.service.GrpcService;
import payments.grpc.GrpcAnswers;
import payments.grpc.GrpcCalls;
import payments.grpc.GrpcProblems;
import payments.grpc.GrpcValues;
import payments.grpc.v1.CancelOrderRequest;
import payments.grpc.v1.GetOrderRequest;
import payments.grpc.v1.ListOrdersRequest;
import payments.grpc.v1.ListOrdersResponse;
import payments.grpc.v1.OrderServiceGrpc;
import payments.grpc.v1.PlaceOrderRequest;
import payments.ownership.Caller;

/**
 * OrderService over gRPC: the HTTP API's requests, use cases and answers, translated.
 * Unlike POST /api/orders, PlaceOrder always needs an idempotency-key, as every mutating
 * gRPC call does.
 */
@GrpcService
class OrderGrpcService extends OrderServiceGrpc.OrderServiceImplBase {

    private static final int DEFAULT_PAGE_SIZE = 20;

    private static final int MAX_PAGE_SIZE = 100;

    private static final Pattern PAGE_TOKEN = Pattern.compile("orders:page=(\\d{1,9}):size=(\\d{1,3})");

    private final Orders orders;

    private final OrderCommands commands;

    private final GrpcAnswers answers;

    private final Validator validator;

    OrderGrpcService(Orders orders, OrderCommands commands, GrpcAnswers answers, Validator validator) {
        this.orders = orders;
        this.commands = commands;
        this.answers = answers;
        this.validator = validator;
    }

    @Override
    public void placeOrder(PlaceOrderRequest request, StreamObserver<payments.grpc.v1.Order> response) {
        Caller caller = GrpcCalls.caller();
        var order = new OrderController.NewOrder(request.getCustomerReference(), request.getCurrencyCode(),
                request.getItemsList()
                    .stream()
                    .map(item -> new OrderController.NewItem(item.getDescription(), item.getQuantity(),
                            item.getUnitPriceMinorUnits()))
                    .toList());
        var violations = validator.validate(order);
        if (!violations.isEmpty()) {
            throw GrpcProblems.invalid(violations,
                    Map.of("customerReference", "customer_reference", "currency", "currency_code"));
        }
        var key = GrpcCalls.idempotencyKey();
        var placed = answers.read(commands.place(caller.client(), order, key), OrderController.OrderView.class);
        response.onNext(OrderMessages.order(placed));
        response.onCompleted();
    }

    @Override
    public void getOrder(GetOrderRequest request, StreamObserver<payments.grpc.v1.Order> response) {
        UUID id = GrpcValues.uuid("id", request.getId());
        Order order = orders.findVisible(id, GrpcCalls.caller())
            .orElseThrow(() -> GrpcProblems.of(404, null, "No order " + id, Map.of()));
        response.onNext(OrderMessages.order(OrderController.OrderView.of(order)));
        response.onCompleted();
    }

    @Override
    public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> response) {
        int size = request.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : request.getPageSize();
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw GrpcProblems.invalidField("page_size",
                    "must be between 1 and " + MAX_PAGE_SIZE + " (0 for " + DEFAULT_PAGE_SIZE + ")");
        }
        int page = request.getPageToken().isEmpty() ? 0 : pageOf(request.getPageToken(), size);
        Page<Order> found = orders.findVisible(GrpcCalls.caller(),
                PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        var list = ListOrdersResponse.newBuilder().setTotalSize(found.getTotalElements());
        found.forEach(order -> list.addOrders(OrderMessages.order(OrderController.OrderView.of(order))));
        if (found.hasNext()) {
            list.setNextPageToken(token(page + 1, size));
        }
        response.onNext(list.build());
        response.onCompleted();
    }

    @Override
    public void cancelOrder(CancelOrderRequest request, StreamObserver<payments.grpc.v1.Order> response) {
        Caller caller = GrpcCalls.caller();
        UUID id = GrpcValues.uuid("id", request.getId());
        var key = GrpcCalls.idempotencyKey();
        response.onNext(
                OrderMessages.order(answers.read(commands.cancel(id, caller, key), OrderController.OrderView.class)));
        response.onCompleted();
    }

    /** An opaque token to the client: the page and the size it was issued for. */
    static String token(int page, int size) {
        return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(("orders:page=" + page + ":size=" + size).getBytes(StandardCharsets.UTF_8));
    }

    static int pageOf(String token, int size) {
        Matcher matcher;
        try {
            matcher = PAGE_TOKEN.matcher(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        }
        catch (IllegalArgumentException e) {
            throw GrpcProblems.invalidField("page_token", "is not a token this service issued");
        }
        if (!matcher.matches()) {
            throw GrpcProblems.invalidField("page_token", "is not a token this service issued");
        }
        if (Integer.parseInt(matcher.group(2)) != size) {
            throw GrpcProblems.invalidField("page_token",
                    "was issued for page_size " + matcher.group(2) + ", not " + size);
        }
        return Integer.parseInt(matcher.group(1));
    }

}
