package webhooks.delivery;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * A client span around each webhook attempt, its W3C {@code traceparent} on the request:
 * the merchant sees the trace of the request that caused the webhook. Each delivery keeps
 * the traceparent it was created under, so a retry, which the re-publisher queues from
 * its own schedule, still joins that trace. With tracing off the tracer is a no-op and no
 * header is added.
 */
@Component
class AttemptTracing {

    private static final String TRACEPARENT = "traceparent";

    private final Supplier<Tracer> tracer;

    private final Supplier<Propagator> propagator;

    @Autowired
    AttemptTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this(SingletonSupplier.of(() -> tracer.getIfAvailable(() -> Tracer.NOOP)),
                SingletonSupplier.of(() -> propagator.getIfAvailable(() -> Propagator.NOOP)));
    }

    AttemptTracing(Supplier<Tracer> tracer, Supplier<Propagator> propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * The current trace context as a W3C traceparent, to keep with a new delivery; null
     * outside any trace.
     */
    @Nullable String currentTraceparent() {
        Span current = tracer.get().currentSpan();
        if (current == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.get().inject(current.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts the attempt's span and puts its context on the request. Its parent is the
     * current span when that belongs to the delivery's trace (a first attempt, queued as
     * the message was accepted), else the traceparent kept with the delivery (a retry).
     * @param deliveryTraceparent the traceparent the delivery was created under, or null
     */
    Span start(HttpPost post, @Nullable String deliveryTraceparent) {
        Span.Builder builder = tracer.get().spanBuilder();
        TraceContext kept = contextOf(deliveryTraceparent);
        Span current = tracer.get().currentSpan();
        if (kept != null && (current == null || !kept.traceId().equals(current.context().traceId()))) {
            builder.setParent(kept);
        }
        Span span = builder.name("webhook attempt")
            .kind(Span.Kind.CLIENT)
            .tag("http.request.method", "POST")
            .tag("server.address", String.valueOf(post.getAuthority()))
            .start();
        propagator.get().inject(span.context(), post, (request, name, value) -> request.setHeader(name, value));
        return span;
    }

    /** A scope that closes without a checked exception. */
    interface InTrace extends AutoCloseable {

        InTrace NONE = () -> {
        };

        @Override
        void close();

    }

    /**
     * Makes the given traceparent the current trace context until closed, without a span
     * of its own: what is observed meanwhile (a broker send) becomes its child. Does
     * nothing without a traceparent, or with one that cannot be read.
     */
    InTrace inTraceOf(@Nullable String traceparent) {
        TraceContext context = contextOf(traceparent);
        if (context == null) {
            return InTrace.NONE;
        }
        CurrentTraceContext.Scope scope = tracer.get().currentTraceContext().newScope(context);
        return scope::close;
    }

    /**
     * The context a W3C traceparent (version-traceid-spanid-flags) names; null without
     * one or for a malformed one.
     */
    private @Nullable TraceContext contextOf(@Nullable String traceparent) {
        if (traceparent == null || traceparent.length() != 55) {
            return null;
        }
        return tracer.get()
            .traceContextBuilder()
            .traceId(traceparent.substring(3, 35))
            .spanId(traceparent.substring(36, 52))
            .sampled((Character.digit(traceparent.charAt(54), 16) & 1) == 1)
            .build();
    }

    /**
     * The span's trace id for the attempt's record, sampled or not (logs carry it either
     * way); null with tracing off.
     */
    static @Nullable String traceId(Span span) {
        String traceId = span.context().traceId();
        return traceId == null || traceId.isEmpty() || traceId.chars().allMatch(c -> c == '0') ? null : traceId;
    }

    /** Ends the span with the attempt's outcome (null if the attempt threw). */
    static void end(Span span, @Nullable AttemptResult result) {
        if (result == null) {
            span.tag("error", "the attempt failed unexpectedly");
        }
        else if (result.statusCode() != null) {
            span.tag("http.response.status_code", Integer.toString(result.statusCode()));
        }
        if (result != null && result.error() != null) {
            span.tag("error", result.error());
        }
        span.end();
    }

}
