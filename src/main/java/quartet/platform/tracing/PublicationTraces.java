package quartet.platform.tracing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.modulith.events.core.TargetEventPublication;

/**
 * The trace an event was published in, kept with each of its publications in the registry
 * ({@code event_publication.trace_parent}, a W3C traceparent), so its listeners can
 * continue that trace however late they run. The first delivery happens on another thread
 * right after commit and gets the same event instance: it is answered from memory (weak
 * keys, by identity). A resubmission, or a delivery on another instance, gets a
 * deserialized copy: it is answered from the row, found as Modulith finds it (serialized
 * event and listener id).
 */
final class PublicationTraces {

    static final String TRACEPARENT = "traceparent";

    /**
     * Cached for an event published outside any trace, so its listeners do not look for
     * one.
     */
    private static final String NONE = "";

    private final Cache<Object, String> byEvent = Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

    private final Supplier<Tracer> tracer;

    private final Supplier<Propagator> propagator;

    private final Supplier<JdbcClient> jdbc;

    private final Supplier<EventSerializer> serializer;

    PublicationTraces(Supplier<Tracer> tracer, Supplier<Propagator> propagator, Supplier<JdbcClient> jdbc,
            Supplier<EventSerializer> serializer) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /** Called as the registry stores a publication, in the publishing transaction. */
    void stored(TargetEventPublication publication) {
        String parent = currentTraceparent();
        byEvent.put(publication.getEvent(), parent);
        if (!parent.isEmpty()) {
            jdbc.get()
                .sql("UPDATE event_publication SET trace_parent = ? WHERE id = ?")
                .params(parent, publication.getIdentifier())
                .update();
        }
    }

    /**
     * The traceparent the event was published under, for the listener about to handle it.
     */
    Optional<String> parentOf(Object event, String listenerId) {
        String cached = byEvent.getIfPresent(event);
        if (cached != null) {
            return cached.isEmpty() ? Optional.empty() : Optional.of(cached);
        }
        return jdbc.get().sql("""
                SELECT trace_parent FROM event_publication
                WHERE serialized_event = ? AND listener_id = ? AND completion_date IS NULL
                ORDER BY publication_date DESC LIMIT 1
                """).params(serializer.get().serialize(event).toString(), listenerId).query(String.class).optional();
    }

    /** A span continuing the given traceparent (a new trace if it cannot be read). */
    Span.Builder continuing(String traceparent) {
        return propagator.get().extract(Map.of(TRACEPARENT, traceparent), Map::get);
    }

    Tracer tracer() {
        return tracer.get();
    }

    private String currentTraceparent() {
        TraceContext context = tracer.get().currentTraceContext().context();
        if (context == null) {
            return NONE;
        }
        Map<String, String> headers = new HashMap<>(2);
        propagator.get().inject(context, headers, Map::put);
        return headers.getOrDefault(TRACEPARENT, NONE);
    }

}
