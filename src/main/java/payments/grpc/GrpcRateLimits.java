package payments.grpc;

import java.util.Map;
import java.util.Optional;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import payments.grpc.v1.OrderServiceGrpc;
import payments.grpc.v1.PaymentServiceGrpc;
import ratelimit.RateLimitDecision;
import ratelimit.RouteLimits;

/**
 * Rate limits for FlowPay's gRPC calls: each method spends from the bucket of the HTTP
 * route it stands for, through HoldUp's {@link RouteLimits}, so a client has one
 * allowance over both transports. Past it the call is RESOURCE_EXHAUSTED with RetryInfo;
 * every limited answer carries the RateLimit-Policy and RateLimit fields as response
 * metadata, as HTTP does.
 */
final class GrpcRateLimits implements ServerInterceptor {

    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private static final Metadata.Key<String> POLICY = Metadata.Key.of("ratelimit-policy",
            Metadata.ASCII_STRING_MARSHALLER);

    private static final Metadata.Key<String> LIMIT = Metadata.Key.of("ratelimit", Metadata.ASCII_STRING_MARSHALLER);

    /**
     * Each method's HTTP route; a path variable stays a placeholder (policies match
     * routes, not ids).
     */
    static final Map<String, String> ROUTES = Map.of(OrderServiceGrpc.getPlaceOrderMethod().getFullMethodName(),
            "/api/orders", OrderServiceGrpc.getGetOrderMethod().getFullMethodName(), "/api/orders/{id}",
            OrderServiceGrpc.getListOrdersMethod().getFullMethodName(), "/api/orders",
            OrderServiceGrpc.getCancelOrderMethod().getFullMethodName(), "/api/orders/{id}/cancel",
            PaymentServiceGrpc.getCreatePaymentMethod().getFullMethodName(), "/api/payments",
            PaymentServiceGrpc.getGetPaymentMethod().getFullMethodName(), "/api/payments/{id}",
            PaymentServiceGrpc.getListPaymentsMethod().getFullMethodName(), "/api/payments",
            PaymentServiceGrpc.getRefundPaymentMethod().getFullMethodName(), "/api/payments/{id}/refunds",
            PaymentServiceGrpc.getWatchPaymentMethod().getFullMethodName(), "/api/payments/{id}");

    private final RouteLimits limits;

    GrpcRateLimits(RouteLimits limits) {
        this.limits = limits;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String route = ROUTES.get(call.getMethodDescriptor().getFullMethodName());
        if (route == null) {
            return next.startCall(call, headers);
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String client = authentication == null ? null : authentication.getName();
        Optional<RateLimitDecision> decided = limits.tryAcquire(route, client, headers.get(API_KEY),
                GrpcCalls.peerAddress(call));
        if (decided.isEmpty()) {
            return next.startCall(call, headers);
        }
        RateLimitDecision decision = decided.get();
        if (!decision.allowed()) {
            StatusRuntimeException refusal = GrpcProblems.rateLimited(decision);
            Metadata trailers = refusal.getTrailers();
            fields(trailers, decision);
            call.close(refusal.getStatus(), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        return next.startCall(new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                fields(responseHeaders, decision);
                super.sendHeaders(responseHeaders);
            }
        }, headers);
    }

    /** The IETF draft's fields, as the HTTP filter writes them. */
    private static void fields(Metadata metadata, RateLimitDecision decision) {
        metadata.put(POLICY, "\"" + decision.policy() + "\";q=" + decision.quota() + ";w=" + decision.window());
        metadata.put(LIMIT, "\"" + decision.policy() + "\";r=" + decision.remaining() + ";t="
                + (decision.resetAfter().toNanos() + 999_999_999L) / 1_000_000_000L);
    }

}
