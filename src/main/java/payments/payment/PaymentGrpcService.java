package payments.payment;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import jakarta.annotation.PreDestroy;
import jakarta.validation.Validator;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.grpc.server.service.GrpcService;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import payments.grpc.GrpcAnswers;
import payments.grpc.GrpcCalls;
import payments.grpc.GrpcProblems;
import payments.grpc.GrpcSettings;
import payments.grpc.GrpcValues;
import payments.grpc.v1.CreatePaymentRequest;
import payments.grpc.v1.GetPaymentRequest;
import payments.grpc.v1.ListPaymentsRequest;
import payments.grpc.v1.ListPaymentsResponse;
import payments.grpc.v1.PaymentServiceGrpc;
import payments.grpc.v1.PaymentUpdate;
import payments.grpc.v1.RefundPaymentRequest;
import payments.grpc.v1.RefundPaymentResponse;
import payments.grpc.v1.WatchPaymentRequest;
import payments.ownership.Caller;

/**
 * PaymentService over gRPC: translates each call into the request the HTTP API takes,
 * runs the same use case, and translates the answer back. Validation is the request
 * records' own Bean Validation; the owner rules are the repository's; idempotency is the
 * one store.
 */
@GrpcService
class PaymentGrpcService extends PaymentServiceGrpc.PaymentServiceImplBase
        implements ApplicationListener<ContextClosedEvent> {

    private static final Map<String, String> PAYMENT_FIELDS = Map.of("orderId", "order_id", "amount",
            "amount.minor_units", "currency", "amount.currency_code", "paymentMethod", "payment_method");

    private static final Map<String, String> REFUND_FIELDS = Map.of("amount", "amount.minor_units", "currency",
            "amount.currency_code", "reason", "reason");

    private final PaymentCommands commands;

    private final Payments payments;

    private final GrpcAnswers answers;

    private final Validator validator;

    private final GrpcSettings settings;

    private final TransactionTemplate snapshot;

    // Watches poll on their own threads: a stream never holds a gRPC executor thread
    // while it waits.
    private final java.util.Set<Watch> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    // Set once the application stops: a watch that starts after that ends at once instead
    // of holding shutdown.
    private volatile boolean closing;

    private final ScheduledExecutorService watches = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "payment-watch");
        thread.setDaemon(true);
        return thread;
    });

    PaymentGrpcService(PaymentCommands commands, Payments payments, GrpcAnswers answers, Validator validator,
            GrpcSettings settings, PlatformTransactionManager transactions) {
        this.snapshot = new TransactionTemplate(transactions);
        snapshot.setReadOnly(true);
        snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.commands = commands;
        this.payments = payments;
        this.answers = answers;
        this.validator = validator;
        this.settings = settings;
    }

    @Override
    public void createPayment(CreatePaymentRequest request, StreamObserver<payments.grpc.v1.Payment> response) {
        Caller caller = GrpcCalls.caller();
        PaymentRequest payment = valid(new PaymentRequest(GrpcValues.uuidOrNull("order_id", request.getOrderId()),
                request.getAmount().getMinorUnits(), request.getAmount().getCurrencyCode(), request.getPaymentMethod()),
                PAYMENT_FIELDS);
        var key = GrpcCalls.idempotencyKey();
        PaymentView created = answers.read(commands.create(payment, key, "/api/payments", caller), PaymentView.class);
        response.onNext(PaymentMessages.payment(created));
        response.onCompleted();
    }

    @Override
    public void getPayment(GetPaymentRequest request, StreamObserver<payments.grpc.v1.Payment> response) {
        response.onNext(PaymentMessages
            .payment(PaymentView.of(find(GrpcValues.uuid("id", request.getId()), GrpcCalls.caller()))));
        response.onCompleted();
    }

    @Override
    public void listPayments(ListPaymentsRequest request, StreamObserver<ListPaymentsResponse> response) {
        UUID orderId = GrpcValues.uuid("order_id", request.getOrderId());
        var list = ListPaymentsResponse.newBuilder();
        payments.findVisibleForOrder(orderId, GrpcCalls.caller())
            .forEach(payment -> list.addPayments(PaymentMessages.payment(PaymentView.of(payment))));
        response.onNext(list.build());
        response.onCompleted();
    }

    @Override
    public void refundPayment(RefundPaymentRequest request, StreamObserver<RefundPaymentResponse> response) {
        Caller caller = GrpcCalls.caller();
        UUID paymentId = GrpcValues.uuid("payment_id", request.getPaymentId());
        RefundRequest refund = valid(new RefundRequest(request.getAmount().getMinorUnits(),
                request.getAmount().getCurrencyCode(), GrpcValues.orNull(request.getReason())), REFUND_FIELDS);
        var key = GrpcCalls.idempotencyKey();
        var answer = commands.refund(paymentId, refund, key, "/api/payments/" + paymentId + "/refunds", caller);
        response.onNext(PaymentMessages.refunded(answers.read(answer, Refunds.RefundView.class)));
        response.onCompleted();
    }

    /**
     * Sends the transitions recorded so far, then polls the payment's row for new ones,
     * until it is settled with no refund pending, the client goes away, or the watch
     * times out.
     */
    @Override
    public void watchPayment(WatchPaymentRequest request, StreamObserver<PaymentUpdate> response) {
        Caller caller = GrpcCalls.caller();
        UUID id = GrpcValues.uuid("id", request.getId());
        find(id, caller); // NOT_FOUND before the stream starts
        new Watch(id, caller, (ServerCallStreamObserver<PaymentUpdate>) response).start();
    }

    private final class Watch implements Runnable {

        private final UUID id;

        private final Caller caller;

        private final ServerCallStreamObserver<PaymentUpdate> stream;

        private final Instant until;

        private volatile ScheduledFuture<?> polling;

        private volatile boolean done;

        private int sent;

        Watch(UUID id, Caller caller, ServerCallStreamObserver<PaymentUpdate> stream) {
            this.id = id;
            this.caller = caller;
            this.stream = stream;
            this.until = Instant.now().plus(settings.watchTimeout());
        }

        void start() {
            // the client cancelled, or its deadline passed
            stream.setOnCancelHandler(this::stop);
            Duration interval = settings.watchPollInterval();
            open.add(this);
            // after open.add: either this sees the flag or the shutdown sees this watch
            if (closing) {
                finish(shuttingDown());
                return;
            }
            polling = watches.scheduleWithFixedDelay(this, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
            if (done) {
                polling.cancel(false); // it finished before the handle was here to cancel
            }
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            try {
                // One snapshot: the row and its transitions are separate queries, and a
                // commit between
                // them would pair a new transition with the old status.
                Payment payment = snapshot.execute(status -> payments.findVisible(id, caller).orElse(null));
                if (payment == null) {
                    finish(Status.NOT_FOUND.withDescription("No payment " + id).asRuntimeException());
                    return;
                }
                var transitions = payment.transitions();
                if (transitions.size() > sent) {
                    var view = PaymentMessages.payment(PaymentView.of(payment));
                    for (int i = sent; i < transitions.size(); i++) {
                        stream.onNext(PaymentUpdate.newBuilder()
                            .setTransition(PaymentMessages.transition(transitions.get(i)))
                            .setPayment(view)
                            .build());
                    }
                    sent = transitions.size();
                }
                if (payment.isSettled() && !payment.pendingRefunds().isPositive()) {
                    finish(null);
                }
                else if (Instant.now().isAfter(until)) {
                    finish(Status.DEADLINE_EXCEEDED
                        .withDescription("The watch ended after " + settings.watchTimeout()
                                + " (quartet.payments.grpc.watch-timeout); watch again to go on")
                        .asRuntimeException());
                }
            }
            catch (RuntimeException e) {
                if (!done && !stream.isCancelled()) {
                    finish(GrpcProblems.of(503, null, "The payment could not be read; watch again", Map.of()));
                }
            }
        }

        private synchronized void finish(RuntimeException error) {
            stop();
            if (stream.isCancelled()) {
                return;
            }
            if (error == null) {
                stream.onCompleted();
            }
            else {
                stream.onError(error);
            }
        }

        private void stop() {
            done = true;
            open.remove(this);
            ScheduledFuture<?> scheduled = polling;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }

    }

    /**
     * Ends every open watch with UNAVAILABLE when the application stops, before the gRPC
     * server drains its calls: a watch would otherwise hold graceful shutdown for its
     * whole grace period.
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        closing = true;
        for (Watch watch : java.util.List.copyOf(open)) {
            watches.execute(() -> watch.finish(shuttingDown()));
        }
    }

    private static RuntimeException shuttingDown() {
        return Status.UNAVAILABLE.withDescription("The server is shutting down; watch again").asRuntimeException();
    }

    @PreDestroy
    void stopWatches() {
        watches.shutdown();
    }

    private Payment find(UUID id, Caller caller) {
        return payments.findVisible(id, caller)
            .orElseThrow(() -> GrpcProblems.of(404, null, "No payment " + id, Map.of()));
    }

    private <T> T valid(T request, Map<String, String> fields) {
        var violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw GrpcProblems.invalid(violations, fields);
        }
        return request;
    }

}
