package payments.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import payments.FlowPayHttp;
import payments.grpc.v1.CancelOrderRequest;
import payments.grpc.v1.CreatePaymentRequest;
import payments.grpc.v1.GetOrderRequest;
import payments.grpc.v1.GetPaymentRequest;
import payments.grpc.v1.ListOrdersRequest;
import payments.grpc.v1.ListOrdersResponse;
import payments.grpc.v1.ListPaymentsRequest;
import payments.grpc.v1.Money;
import payments.grpc.v1.Order;
import payments.grpc.v1.OrderItem;
import payments.grpc.v1.OrderServiceGrpc;
import payments.grpc.v1.OrderStatus;
import payments.grpc.v1.Payment;
import payments.grpc.v1.PaymentServiceGrpc;
import payments.grpc.v1.PaymentStatus;
import payments.grpc.v1.PaymentUpdate;
import payments.grpc.v1.PlaceOrderRequest;
import payments.grpc.v1.RefundPaymentRequest;
import payments.grpc.v1.RefundPaymentResponse;
import payments.grpc.v1.RefundStatus;
import payments.grpc.v1.WatchPaymentRequest;
import payments.payment.Payments;
import payments.processing.SimulatedPaymentProvider;
import quartet.QuartetApplication;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * FlowPay over gRPC with a real grpc-java client on a real Netty channel to the
 * application's own gRPC port (not in-process), beside the HTTP API in the same context
 * (the one PaymentsApiTests uses): every RPC, the one Idempotency-Key store across both
 * transports, owners, bad input, WatchPayment, deadlines, health and reflection.
 */
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FlowPayGrpcTests {

    private static final Duration PROCESSING = Duration.ofSeconds(60);

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private static final Metadata.Key<String> IDEMPOTENCY_KEY = Metadata.Key.of("idempotency-key",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Metadata.Key<String> REPLAYED = Metadata.Key.of("idempotent-replayed",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Metadata.Key<String> RATE_LIMIT_POLICY = Metadata.Key.of("ratelimit-policy",
            Metadata.ASCII_STRING_MARSHALLER);

    @Autowired
    GrpcServerLifecycle grpcServer;

    @LocalServerPort
    int httpPort;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    @Autowired
    Payments stored;

    ManagedChannel channel;

    @BeforeAll
    void connect() {
        channel = NettyChannelBuilder.forAddress("localhost", grpcServer.getPort()).usePlaintext().build();
    }

    @AfterAll
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    /** One call's metadata out and the answer's headers and trailers back. */
    static final class Call implements ClientInterceptor {

        final Metadata outgoing = new Metadata();

        final AtomicReference<Metadata> headers = new AtomicReference<>(new Metadata());

        final AtomicReference<Metadata> trailers = new AtomicReference<>(new Metadata());

        Call(String apiKey, String idempotencyKey) {
            if (apiKey != null) {
                outgoing.put(API_KEY, apiKey);
            }
            if (idempotencyKey != null) {
                outgoing.put(IDEMPOTENCY_KEY, idempotencyKey);
            }
        }

        boolean replayed() {
            return "true".equals(headers.get().get(REPLAYED)) || "true".equals(trailers.get().get(REPLAYED));
        }

        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata requestHeaders) {
                    requestHeaders.merge(outgoing);
                    super.start(new SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onHeaders(Metadata received) {
                            headers.set(received);
                            super.onHeaders(received);
                        }

                        @Override
                        public void onClose(Status status, Metadata received) {
                            trailers.set(received);
                            super.onClose(status, received);
                        }
                    }, requestHeaders);
                }
            };
        }

    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub payments(Call call) {
        return PaymentServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, call))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private OrderServiceGrpc.OrderServiceBlockingStub orders(Call call) {
        return OrderServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, call))
            .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private Order placeOrder(String apiKey, long unitPrice, int quantity, String currency) {
        return orders(new Call(apiKey, UUID.randomUUID().toString())).placeOrder(PlaceOrderRequest.newBuilder()
            .setCustomerReference("grpc-" + UUID.randomUUID())
            .setCurrencyCode(currency)
            .addItems(OrderItem.newBuilder()
                .setDescription("Widget")
                .setQuantity(quantity)
                .setUnitPriceMinorUnits(unitPrice))
            .build());
    }

    private static CreatePaymentRequest paymentFor(Order order, String method) {
        return CreatePaymentRequest.newBuilder()
            .setOrderId(order.getId())
            .setAmount(order.getTotal())
            .setPaymentMethod(method)
            .build();
    }

    private static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("a google.rpc.Status in the trailers").isNotNull();
        return status.getDetailsList().stream().filter(any -> any.is(ErrorInfo.class)).map(any -> {
            try {
                return any.unpack(ErrorInfo.class);
            }
            catch (Exception unpack) {
                throw new IllegalStateException(unpack);
            }
        }).findFirst().orElseThrow(() -> new AssertionError("no ErrorInfo in " + status));
    }

    private static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        }
        catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    private Payment awaitStatus(String apiKey, String paymentId, PaymentStatus wanted) {
        Instant until = Instant.now().plus(PROCESSING);
        Iterator<PaymentUpdate> updates = payments(new Call(apiKey, null))
            .withDeadlineAfter(PROCESSING.toSeconds(), TimeUnit.SECONDS)
            .watchPayment(WatchPaymentRequest.newBuilder().setId(paymentId).build());
        Payment last = null;
        while (updates.hasNext() && Instant.now().isBefore(until)) {
            last = updates.next().getPayment();
        }
        assertThat(last).isNotNull();
        assertThat(last.getStatus()).isEqualTo(wanted);
        return last;
    }

    @Test
    void placesGetsListsAndCancelsOrders() {
        Order placed = placeOrder("alice-test-key", 1250, 2, "EUR");
        assertThat(placed.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CREATED);
        assertThat(placed.getTotal()).isEqualTo(Money.newBuilder().setMinorUnits(2500).setCurrencyCode("EUR").build());
        assertThat(placed.getOwner()).isEqualTo("alice");
        assertThat(placed.hasCreateTime()).isTrue();

        Order read = orders(new Call("alice-test-key", null))
            .getOrder(GetOrderRequest.newBuilder().setId(placed.getId()).build());
        // PostgreSQL keeps microseconds: the read-back times are the placed ones,
        // truncated.
        assertThat(read.toBuilder().clearCreateTime().clearUpdateTime().build())
            .isEqualTo(placed.toBuilder().clearCreateTime().clearUpdateTime().build());
        assertThat(read.getCreateTime().getSeconds()).isEqualTo(placed.getCreateTime().getSeconds());

        String cancelKey = UUID.randomUUID().toString();
        Call cancel = new Call("alice-test-key", cancelKey);
        Order cancelled = orders(cancel).cancelOrder(CancelOrderRequest.newBuilder().setId(placed.getId()).build());
        assertThat(cancelled.getStatus()).isEqualTo(OrderStatus.ORDER_STATUS_CANCELLED);
        assertThat(cancel.replayed()).isFalse();
        Call again = new Call("alice-test-key", cancelKey);
        assertThat(orders(again).cancelOrder(CancelOrderRequest.newBuilder().setId(placed.getId()).build()))
            .isEqualTo(cancelled);
        assertThat(again.replayed()).isTrue();
        // A new key asks again: a cancelled order cannot be cancelled twice.
        StatusRuntimeException twice = failure(() -> orders(new Call("alice-test-key", UUID.randomUUID().toString()))
            .cancelOrder(CancelOrderRequest.newBuilder().setId(placed.getId()).build()));
        assertThat(twice.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(errorInfo(twice).getReason()).isEqualTo("conflict");
    }

    @Test
    void listsOrdersAPageAtATimeWithTokens() {
        for (int i = 0; i < 3; i++) {
            placeOrder("bob-test-key", 100 + i, 1, "EUR");
        }
        long total = jdbc.sql("SELECT count(*) FROM payments.orders WHERE owner = 'bob'").query(Long.class).single();
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListOrdersResponse page = orders(new Call("bob-test-key", null))
                .listOrders(ListOrdersRequest.newBuilder().setPageSize(2).setPageToken(token).build());
            assertThat(page.getTotalSize()).isEqualTo(total);
            assertThat(page.getOrdersCount()).isBetween(1, 2);
            page.getOrdersList().forEach(order -> {
                assertThat(order.getOwner()).isEqualTo("bob");
                seen.add(order.getId());
            });
            token = page.getNextPageToken();
            pages++;
        }
        while (!token.isEmpty() && pages < 1000);
        assertThat(seen).hasSize((int) total).doesNotHaveDuplicates();

        String firstToken = orders(new Call("bob-test-key", null))
            .listOrders(ListOrdersRequest.newBuilder().setPageSize(2).build())
            .getNextPageToken();
        StatusRuntimeException otherSize = failure(() -> orders(new Call("bob-test-key", null))
            .listOrders(ListOrdersRequest.newBuilder().setPageSize(3).setPageToken(firstToken).build()));
        assertThat(otherSize.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException forged = failure(() -> orders(new Call("bob-test-key", null))
            .listOrders(ListOrdersRequest.newBuilder().setPageToken("not-a-token").build()));
        assertThat(forged.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void paysRefundsAndWatchesAPaymentToTheEnd() {
        Order order = placeOrder("alice-test-key", 4200, 1, "EUR");
        Call create = new Call("alice-test-key", UUID.randomUUID().toString());
        Payment created = payments(create).createPayment(paymentFor(order, SimulatedPaymentProvider.APPROVED));
        assertThat(created.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_CREATED);
        assertThat(created.getAmount()).isEqualTo(order.getTotal());
        assertThat(create.replayed()).isFalse();
        assertThat(create.headers.get().get(RATE_LIMIT_POLICY)).as("the HTTP route's policy").startsWith("\"api\"");

        List<PaymentUpdate> updates = new ArrayList<>();
        payments(new Call("alice-test-key", null)).withDeadlineAfter(PROCESSING.toSeconds(), TimeUnit.SECONDS)
            .watchPayment(WatchPaymentRequest.newBuilder().setId(created.getId()).build())
            .forEachRemaining(updates::add);
        assertThat(updates).extracting(update -> update.getTransition().getToStatus())
            .containsExactly(PaymentStatus.PAYMENT_STATUS_CREATED, PaymentStatus.PAYMENT_STATUS_PROCESSING,
                    PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
        assertThat(updates.get(updates.size() - 1).getPayment().getStatus())
            .isEqualTo(PaymentStatus.PAYMENT_STATUS_SUCCEEDED);

        Payment read = payments(new Call("alice-test-key", null))
            .getPayment(GetPaymentRequest.newBuilder().setId(created.getId()).build());
        assertThat(read.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
        assertThat(payments(new Call("alice-test-key", null))
            .listPayments(ListPaymentsRequest.newBuilder().setOrderId(order.getId()).build())
            .getPaymentsList()).extracting(Payment::getId).containsExactly(created.getId());
        assertThat(orders(new Call("alice-test-key", null))
            .getOrder(GetOrderRequest.newBuilder().setId(order.getId()).build())
            // the order follows through its own listener
            .getStatus()).isIn(OrderStatus.ORDER_STATUS_CREATED, OrderStatus.ORDER_STATUS_PAID);

        String refundKey = UUID.randomUUID().toString();
        RefundPaymentRequest refund = RefundPaymentRequest.newBuilder()
            .setPaymentId(created.getId())
            .setAmount(Money.newBuilder().setMinorUnits(1000).setCurrencyCode("EUR"))
            .setReason("damaged")
            .build();
        RefundPaymentResponse refunded = payments(new Call("alice-test-key", refundKey)).refundPayment(refund);
        assertThat(refunded.getRefund().getStatus()).isEqualTo(RefundStatus.REFUND_STATUS_PENDING);
        assertThat(refunded.getPendingTotal().getMinorUnits()).isEqualTo(1000);
        Call replay = new Call("alice-test-key", refundKey);
        assertThat(payments(replay).refundPayment(refund)).isEqualTo(refunded);
        assertThat(replay.replayed()).isTrue();
        Payment settled = awaitStatus("alice-test-key", created.getId(),
                PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED);
        assertThat(settled.getRefunded().getMinorUnits()).isEqualTo(1000);
    }

    @Test
    void replaysTheStoredAnswerAcrossTransportsAndRefusesAnotherRequestUnderTheKey() throws Exception {
        Order order = placeOrder("demo-key-change-me", 999, 1, "EUR");
        String key = UUID.randomUUID().toString();
        // First over HTTP, then the same request over gRPC: one store, one payment.
        var http = new FlowPayHttp(httpPort).post("/api/payments", """
                {"orderId":"%s","amount":999,"currency":"EUR","paymentMethod":"pm_card_visa"}"""
            .formatted(order.getId()), key);
        assertThat(http.statusCode()).isEqualTo(201);
        JsonNode overHttp = json.readTree(http.body());

        Call grpc = new Call("demo-key-change-me", key);
        Payment replayed = payments(grpc).createPayment(paymentFor(order, SimulatedPaymentProvider.APPROVED));
        assertThat(grpc.replayed()).isTrue();
        assertThat(replayed.getId()).isEqualTo(overHttp.path("id").asString());
        // the stored answer, not today's state
        assertThat(replayed.getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_CREATED);

        StatusRuntimeException mismatch = failure(() -> payments(new Call("demo-key-change-me", key))
            .createPayment(paymentFor(order, SimulatedPaymentProvider.DECLINED)));
        assertThat(mismatch.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(errorInfo(mismatch).getReason()).isEqualTo("idempotency-key-reused");

        StatusRuntimeException missing = failure(() -> payments(new Call("demo-key-change-me", null))
            .createPayment(paymentFor(order, SimulatedPaymentProvider.APPROVED)));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorInfo(missing).getReason()).isEqualTo("idempotency-key-missing");

        // A refusal is an answer too: stored, replayed with its mark, over either
        // transport.
        String refusedKey = UUID.randomUUID().toString();
        Call refused = new Call("demo-key-change-me", refusedKey);
        StatusRuntimeException livePayment = failure(
                () -> payments(refused).createPayment(paymentFor(order, SimulatedPaymentProvider.APPROVED)));
        assertThat(livePayment.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(errorInfo(livePayment).getReason()).isEqualTo("order-has-live-payment");
        assertThat(errorInfo(livePayment).getMetadataMap()).containsEntry("existingPayment", replayed.getId());
        assertThat(refused.replayed()).isFalse();
        Call refusedAgain = new Call("demo-key-change-me", refusedKey);
        StatusRuntimeException replayedRefusal = failure(
                () -> payments(refusedAgain).createPayment(paymentFor(order, SimulatedPaymentProvider.APPROVED)));
        assertThat(errorInfo(replayedRefusal)).isEqualTo(errorInfo(livePayment));
        assertThat(refusedAgain.replayed()).isTrue();
        var overHttpAgain = new FlowPayHttp(httpPort).post("/api/payments", """
                {"orderId":"%s","amount":999,"currency":"EUR","paymentMethod":"pm_card_visa"}"""
            .formatted(order.getId()), refusedKey);
        assertThat(overHttpAgain.statusCode()).isEqualTo(409);
        assertThat(overHttpAgain.headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void createsOnePaymentFor64ConcurrentCallsWithOneKey() throws Exception {
        Order order = placeOrder("alice-test-key", 6400, 1, "EUR");
        String key = UUID.randomUUID().toString();
        int callers = 64;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> outcomes = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    try {
                        return payments(new Call("alice-test-key", key))
                            .createPayment(paymentFor(order, SimulatedPaymentProvider.APPROVED));
                    }
                    catch (StatusRuntimeException e) {
                        return e;
                    }
                }));
            }
            start.countDown();
            Set<String> paymentIds = Collections.synchronizedSet(new java.util.HashSet<>());
            int inFlight = 0;
            for (Future<Object> outcome : outcomes) {
                Object result = outcome.get(120, TimeUnit.SECONDS);
                if (result instanceof Payment payment) {
                    paymentIds.add(payment.getId());
                }
                else {
                    StatusRuntimeException e = (StatusRuntimeException) result;
                    assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(Status.Code.ABORTED);
                    assertThat(errorInfo(e).getReason()).isEqualTo("idempotency-key-in-flight");
                    inFlight++;
                }
            }
            assertThat(paymentIds).hasSize(1);
            assertThat(inFlight).isLessThan(callers);
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM payments.payments WHERE order_id = ?")
            .param(UUID.fromString(order.getId()))
            .query(Long.class)
            .single()).isEqualTo(1);
    }

    @Test
    void keepsClientsApart() {
        Order alices = placeOrder("alice-test-key", 500, 1, "EUR");
        Payment payment = payments(new Call("alice-test-key", UUID.randomUUID().toString()))
            .createPayment(paymentFor(alices, SimulatedPaymentProvider.APPROVED));

        for (Runnable bobTries : List.<Runnable>of(
                () -> orders(new Call("bob-test-key", null))
                    .getOrder(GetOrderRequest.newBuilder().setId(alices.getId()).build()),
                () -> orders(new Call("bob-test-key", UUID.randomUUID().toString()))
                    .cancelOrder(CancelOrderRequest.newBuilder().setId(alices.getId()).build()),
                () -> payments(new Call("bob-test-key", null))
                    .getPayment(GetPaymentRequest.newBuilder().setId(payment.getId()).build()),
                () -> payments(new Call("bob-test-key", UUID.randomUUID().toString()))
                    .createPayment(paymentFor(alices, SimulatedPaymentProvider.APPROVED)),
                () -> payments(new Call("bob-test-key", UUID.randomUUID().toString()))
                    .refundPayment(RefundPaymentRequest.newBuilder()
                        .setPaymentId(payment.getId())
                        .setAmount(Money.newBuilder().setMinorUnits(1).setCurrencyCode("EUR"))
                        .build()),
                () -> payments(new Call("bob-test-key", null))
                    .watchPayment(WatchPaymentRequest.newBuilder().setId(payment.getId()).build())
                    .hasNext())) {
            StatusRuntimeException refused = failure(bobTries);
            assertThat(refused.getStatus().getCode()).as(refused.toString()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(errorInfo(refused).getReason()).isEqualTo("not-found");
        }
        assertThat(payments(new Call("bob-test-key", null))
            .listPayments(ListPaymentsRequest.newBuilder().setOrderId(alices.getId()).build())
            .getPaymentsCount()).isZero();
        // The admin client sees every client's.
        assertThat(payments(new Call(FlowPayHttp.ADMIN_KEY, null))
            .getPayment(GetPaymentRequest.newBuilder().setId(payment.getId()).build())
            .getOwner()).isEqualTo("alice");

        for (String key : new String[] { null, "not-a-key" }) {
            StatusRuntimeException anonymous = failure(() -> payments(new Call(key, null))
                .getPayment(GetPaymentRequest.newBuilder().setId(payment.getId()).build()));
            assertThat(anonymous.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(errorInfo(anonymous).getReason()).isEqualTo("unauthorized");
        }
    }

    @Test
    void refusesBadInputAsInvalidArgument() {
        Order order = placeOrder("alice-test-key", 700, 1, "EUR");
        record Case(String what, CreatePaymentRequest request, String reason, String field) {
        }
        List<Case> cases = List.of(
                new Case("nothing at all", CreatePaymentRequest.getDefaultInstance(), "invalid-field", "order_id"),
                new Case("no payment method", paymentFor(order, ""), "invalid-field", "payment_method"),
                new Case("a negative amount",
                        paymentFor(order, "pm_card_visa").toBuilder()
                            .setAmount(Money.newBuilder().setMinorUnits(-700).setCurrencyCode("EUR"))
                            .build(),
                        "invalid-field", "amount.minor_units"),
                new Case("a lower-case currency",
                        paymentFor(order, "pm_card_visa").toBuilder()
                            .setAmount(Money.newBuilder().setMinorUnits(700).setCurrencyCode("eur"))
                            .build(),
                        "invalid-field", "amount.currency_code"),
                new Case("an unknown currency",
                        paymentFor(order, "pm_card_visa").toBuilder()
                            .setAmount(Money.newBuilder().setMinorUnits(700).setCurrencyCode("XYZ"))
                            .build(),
                        "bad-request", null),
                new Case("a malformed order id",
                        paymentFor(order, "pm_card_visa").toBuilder().setOrderId("order-1").build(), "invalid-field",
                        "order_id"));
        for (Case c : cases) {
            StatusRuntimeException refused = failure(
                    () -> payments(new Call("alice-test-key", UUID.randomUUID().toString()))
                        .createPayment(c.request()));
            assertThat(refused.getStatus().getCode()).as(c.what()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(errorInfo(refused).getReason()).as(c.what()).isEqualTo(c.reason());
            if (c.field() != null) {
                com.google.rpc.Status status = StatusProto.fromThrowable(refused);
                List<String> fields = status.getDetailsList()
                    .stream()
                    .filter(any -> any.is(BadRequest.class))
                    .flatMap(any -> {
                        try {
                            return any.unpack(BadRequest.class).getFieldViolationsList().stream();
                        }
                        catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(BadRequest.FieldViolation::getField)
                    .toList();
                assertThat(fields).as(c.what()).contains(c.field());
            }
        }
        StatusRuntimeException badOrder = failure(() -> orders(new Call("alice-test-key", UUID.randomUUID().toString()))
            .placeOrder(PlaceOrderRequest.newBuilder().setCurrencyCode("EUR").build()));
        assertThat(badOrder.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StatusRuntimeException badId = failure(() -> payments(new Call("alice-test-key", null))
            .getPayment(GetPaymentRequest.newBuilder().setId("42").build()));
        assertThat(badId.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(jdbc.sql("SELECT count(*) FROM payments.payments WHERE order_id = ?")
            .param(UUID.fromString(order.getId()))
            .query(Long.class)
            .single()).isZero();
    }

    @Test
    void endsAWatchAtTheClientsDeadline() {
        // A payment nobody processes (no processing request was published): it stays
        // CREATED.
        Order order = placeOrder("alice-test-key", 300, 1, "EUR");
        var stuck = stored.save(payments.payment.Payment.create("alice", UUID.fromString(order.getId()),
                payments.money.Money.of(300, "EUR"), "pm_card_visa", "grpc-deadline-" + UUID.randomUUID(),
                Instant.now()));
        List<PaymentUpdate> received = Collections.synchronizedList(new ArrayList<>());
        Iterator<PaymentUpdate> updates = payments(new Call("alice-test-key", null))
            .withDeadlineAfter(1, TimeUnit.SECONDS)
            .watchPayment(WatchPaymentRequest.newBuilder().setId(stuck.id().toString()).build());
        assertThatThrownBy(() -> updates.forEachRemaining(received::add)).isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(received).extracting(update -> update.getTransition().getToStatus())
            .containsExactly(PaymentStatus.PAYMENT_STATUS_CREATED);
        // The server is unharmed by the abandoned stream.
        assertThat(payments(new Call("alice-test-key", null))
            .getPayment(GetPaymentRequest.newBuilder().setId(stuck.id().toString()).build())
            .getStatus()).isEqualTo(PaymentStatus.PAYMENT_STATUS_CREATED);
    }

    @Test
    void endsOpenWatchesWithUnavailableWhenTheApplicationStops() {
        // A second instance on the same engines, with a long grace period: a watch left
        // open would hold its stop that long.
        var instance = new SpringApplicationBuilder(QuartetApplication.class).run("--server.port=0",
                "--spring.main.banner-mode=off", "--spring.grpc.server.shutdown-grace-period=60s");
        ManagedChannel second = NettyChannelBuilder
            .forAddress("localhost", instance.getBean(GrpcServerLifecycle.class).getPort())
            .usePlaintext()
            .build();
        try {
            Order order = placeOrder("alice-test-key", 301, 1, "EUR");
            var stuck = stored.save(payments.payment.Payment.create("alice", UUID.fromString(order.getId()),
                    payments.money.Money.of(301, "EUR"), "pm_card_visa", "grpc-shutdown-" + UUID.randomUUID(),
                    Instant.now()));
            List<PaymentUpdate> received = Collections.synchronizedList(new ArrayList<>());
            AtomicReference<Throwable> ended = new AtomicReference<>();
            PaymentServiceGrpc.newStub(ClientInterceptors.intercept(second, new Call("alice-test-key", null)))
                .watchPayment(WatchPaymentRequest.newBuilder().setId(stuck.id().toString()).build(),
                        new StreamObserver<>() {
                            @Override
                            public void onNext(PaymentUpdate update) {
                                received.add(update);
                            }

                            @Override
                            public void onError(Throwable t) {
                                ended.set(t);
                            }

                            @Override
                            public void onCompleted() {
                                ended
                                    .set(new AssertionError("the watch completed although the payment is not settled"));
                            }
                        });
            await("the watch is open").atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());

            Instant closing = Instant.now();
            instance.close();

            assertThat(Duration.between(closing, Instant.now())).as("the stop, against a grace period of 60 s")
                .isLessThan(Duration.ofSeconds(20));
            await("the watch ends").atMost(Duration.ofSeconds(5)).until(() -> ended.get() != null);
            assertThat(ended.get()).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.getStatus().getDescription()).contains("shutting down");
            });
        }
        finally {
            second.shutdownNow();
            instance.close();
        }
    }

    @Test
    void servesTheProtoFilesWithTheDocsAndShowsThePortOnTheDashboard() throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> get = path -> {
            try {
                return client.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + httpPort + path))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
            }
            catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        var proto = get.apply("/docs/proto/quartet/payments/v1/payments.proto");
        assertThat(proto.statusCode()).isEqualTo(200);
        assertThat(proto.body()).contains("package quartet.payments.v1;", "service PaymentService");
        assertThat(get.apply("/docs/proto/quartet/payments/v1/application.yaml").statusCode()).isEqualTo(404);
        assertThat(json.readTree(get.apply("/dashboard/config").body()).path("grpcPort").asInt())
            .isEqualTo(grpcServer.getPort());
    }

    @Test
    void servesHealthAndReflectionWithoutAKey() throws Exception {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.newBuilder().setService("").build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        List<String> services = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(new StreamObserver<>() {
                @Override
                public void onNext(ServerReflectionResponse response) {
                    response.getListServicesResponse()
                        .getServiceList()
                        .forEach(service -> services.add(service.getName()));
                }

                @Override
                public void onError(Throwable t) {
                    done.countDown();
                }

                @Override
                public void onCompleted() {
                    done.countDown();
                }
            });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(services).contains("quartet.payments.v1.PaymentService", "quartet.payments.v1.OrderService",
                "grpc.health.v1.Health");
    }

}
