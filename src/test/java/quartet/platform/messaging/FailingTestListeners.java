package quartet.platform.messaging;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Test-only listeners, picked up by the application's scan of {@code quartet}: one that
 * always throws, one that throws on its first two calls. Only the tests publish their
 * events.
 */
@Component
public class FailingTestListeners {

    /**
     * Always refused, with a credential in the message that must not reach the reason
     * (public: the browser test uses it).
     */
    public record AlwaysRefused(UUID id) {
    }

    /** Refused twice, then taken. */
    record RefusedTwice(UUID id) {
    }

    private final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();

    @ApplicationModuleListener(id = "test.always-refuses")
    void on(AlwaysRefused event) {
        called(event.id());
        throw new IllegalStateException("order " + event.id() + " is cancelled (token=s3cr3t-value)");
    }

    @ApplicationModuleListener(id = "test.refuses-twice")
    void on(RefusedTwice event) {
        if (called(event.id()) <= 2) {
            throw new IllegalStateException("not yet");
        }
    }

    /**
     * How often a listener ran for the event with this id (read through a method: the
     * bean is a proxy).
     */
    int calls(UUID eventId) {
        AtomicInteger count = calls.get(eventId);
        return count == null ? 0 : count.get();
    }

    private int called(UUID eventId) {
        return calls.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
    }

}
