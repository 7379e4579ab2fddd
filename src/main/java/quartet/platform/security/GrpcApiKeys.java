package quartet.platform.security;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.Set;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import ratelimit.RateLimitDecision;

/**
 * API keys on the gRPC port: the {@code x-api-key} metadata entry is looked up in the
 * same digests, in constant time, and gives the same client and roles as the HTTP header;
 * a missing or wrong key is UNAUTHENTICATED and spends from the same
 * failed-authentication allowance per address (RESOURCE_EXHAUSTED past it). The client's
 * authentication is the security context of every callback of its call, as it is of an
 * HTTP request. Health and reflection stay public, like /actuator/health and the API
 * docs.
 */
final class GrpcApiKeys implements ServerInterceptor {

    static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    private static final Set<String> PUBLIC_SERVICES = Set.of("grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");

    private static final String DOMAIN = "quartet.dev";

    private final ApiKeys keys;

    private final Set<String> adminClients;

    private final FailedAuthentications failures;

    GrpcApiKeys(ApiKeys keys, Set<String> adminClients, FailedAuthentications failures) {
        this.keys = keys;
        this.adminClients = Set.copyOf(adminClients);
        this.failures = failures;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (PUBLIC_SERVICES.contains(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        String presented = headers.get(API_KEY);
        Optional<String> client = presented == null ? Optional.empty() : keys.clientFor(presented);
        if (client.isEmpty()) {
            var reason = presented == null ? FailedAuthentications.Reason.MISSING_KEY
                    : FailedAuthentications.Reason.WRONG_KEY;
            RateLimitDecision decision = failures.record(peerAddress(call), reason);
            StatusRuntimeException refusal = decision.allowed()
                    ? refusal(Code.UNAUTHENTICATED, "unauthorized",
                            "A valid API key is required in the x-api-key metadata.", null)
                    : refusal(Code.RESOURCE_EXHAUSTED, "rate-limited",
                            "Too many failed authentications from this address; retry in "
                                    + decision.retryAfterSeconds() + " s.",
                            decision);
            call.close(refusal.getStatus(), refusal.getTrailers());
            return new ServerCall.Listener<>() {
            };
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(ApiKeyAuthenticationFilter.authentication(client.get(), adminClients));
        // Interceptors further in (the rate limiter keys by client) run in startCall: it
        // needs the context too.
        ServerCall.Listener<Q> listener = within(context, () -> next.startCall(call, headers));
        return new SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onMessage(Q message) {
                within(context, () -> {
                    super.onMessage(message);
                    return null;
                });
            }

            @Override
            public void onHalfClose() {
                within(context, () -> {
                    super.onHalfClose();
                    return null;
                });
            }

            @Override
            public void onCancel() {
                within(context, () -> {
                    super.onCancel();
                    return null;
                });
            }

            @Override
            public void onComplete() {
                within(context, () -> {
                    super.onComplete();
                    return null;
                });
            }

            @Override
            public void onReady() {
                within(context, () -> {
                    super.onReady();
                    return null;
                });
            }
        };
    }

    private static <T extends @Nullable Object> T within(SecurityContext context, java.util.function.Supplier<T> work) {
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContextHolder.setContext(context);
        try {
            return work.get();
        }
        finally {
            SecurityContextHolder.setContext(previous);
        }
    }

    private static String peerAddress(ServerCall<?, ?> call) {
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return peer instanceof InetSocketAddress socket ? socket.getAddress().getHostAddress() : String.valueOf(peer);
    }

    private static StatusRuntimeException refusal(Code code, String reason, String message,
            @Nullable RateLimitDecision decision) {
        var status = com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).build()));
        if (decision != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                .setRetryDelay(Duration.newBuilder().setSeconds(decision.retryAfterSeconds()))
                .build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }

}
