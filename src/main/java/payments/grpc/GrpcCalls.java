package payments.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import payments.idempotency.IdempotencyKey;
import payments.idempotency.IdempotentExecution;
import payments.ownership.Caller;

/**
 * The gRPC call a service method runs for: its API client, its idempotency-key, and the
 * mark that its answer is a replay ({@code idempotent-replayed: true} in the response
 * headers, or in the trailers of a replayed error, see {@link GrpcAnswers}). An
 * interceptor ({@link #interceptor()}) opens this context around every call of FlowPay's
 * services.
 */
public final class GrpcCalls {

    static final Metadata.Key<String> IDEMPOTENCY_KEY = Metadata.Key.of("idempotency-key",
            Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> REPLAYED = Metadata.Key
        .of(IdempotentExecution.REPLAYED.toLowerCase(java.util.Locale.ROOT), Metadata.ASCII_STRING_MARSHALLER);

    private static final Context.Key<Call> CALL = Context.key("quartet.payments.grpc.call");

    /** What one call carries and what its answer will be marked with. */
    private static final class Call {

        private final Metadata requestHeaders;

        private final String peer;

        private volatile boolean replayed;

        Call(Metadata requestHeaders, String peer) {
            this.requestHeaders = requestHeaders;
            this.peer = peer;
        }

    }

    private GrpcCalls() {
    }

    /** The API client the call acts for, as the authentication interceptor found it. */
    public static Caller caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            throw Status.UNAUTHENTICATED.withDescription("A valid API key is required in the x-api-key metadata.")
                .asRuntimeException();
        }
        return Caller.of(authentication);
    }

    /**
     * The call's idempotency-key metadata; without one (or of the wrong form) the call is
     * INVALID_ARGUMENT.
     */
    public static IdempotencyKey idempotencyKey() {
        String value = current().requestHeaders.get(IDEMPOTENCY_KEY);
        try {
            return IdempotencyKey.parse(value);
        }
        catch (IllegalArgumentException e) {
            String code = value == null || value.isBlank() ? "idempotency-key-missing" : "bad-request";
            throw GrpcProblems.of(400, code, e.getMessage().replace("header", "metadata entry (idempotency-key)"),
                    java.util.Map.of());
        }
    }

    /**
     * Marks the answer as a replay of the one stored under the call's idempotency-key.
     */
    public static void markReplayed() {
        current().replayed = true;
    }

    /** The peer's IP address. */
    static String peer() {
        return current().peer;
    }

    static String header(Metadata.Key<String> key) {
        return current().requestHeaders.get(key);
    }

    private static Call current() {
        Call call = CALL.get();
        if (call == null) {
            throw new IllegalStateException("Not inside a gRPC call of FlowPay's services");
        }
        return call;
    }

    /** Opens the call context and writes the replay mark into the answer. */
    static ServerInterceptor interceptor() {
        return new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                Call state = new Call(headers, peerAddress(call));
                ServerCall<Q, R> marking = new SimpleForwardingServerCall<>(call) {

                    @Override
                    public void sendHeaders(Metadata responseHeaders) {
                        if (state.replayed) {
                            responseHeaders.put(REPLAYED, "true");
                        }
                        super.sendHeaders(responseHeaders);
                    }
                };
                return Contexts.interceptCall(Context.current().withValue(CALL, state), marking, headers, next);
            }
        };
    }

    static String peerAddress(ServerCall<?, ?> call) {
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        return peer instanceof InetSocketAddress socket ? socket.getAddress().getHostAddress() : String.valueOf(peer);
    }

    /** For the rare path that must fail a call outright. */
    static StatusRuntimeException internal() {
        return Status.INTERNAL.withDescription("An unexpected error; it is logged.").asRuntimeException();
    }

}
