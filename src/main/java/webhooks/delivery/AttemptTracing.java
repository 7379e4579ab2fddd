package webhooks.delivery;

import java.util.function.Supplier;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * A client span around each webhook attempt, its W3C {@code traceparent} on the request: the
 * merchant sees the trace of the payment request that caused the webhook. With tracing off the
 * tracer is a no-op and no header is added.
 */
@Component
class AttemptTracing {

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

    /** Starts the attempt's span, as a child of the current one, and puts its context on the request. */
    Span start(HttpPost post) {
        Span span = tracer.get().spanBuilder()
            .name("webhook attempt")
            .kind(Span.Kind.CLIENT)
            .tag("http.request.method", "POST")
            .tag("server.address", String.valueOf(post.getAuthority()))
            .start();
        propagator.get().inject(span.context(), post, (request, name, value) -> request.setHeader(name, value));
        return span;
    }

    /** Ends the span with the attempt's outcome (null if the attempt threw). */
    static void end(Span span, AttemptResult result) {
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
