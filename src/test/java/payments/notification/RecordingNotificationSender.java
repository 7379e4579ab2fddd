package payments.notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.context.annotation.Primary;
import org.springframework.stereotype.Component;

/**
 * The edge of the product in every test context: records what was sent and fails for the
 * recipients a test names. Static, like the simulated payment provider: every context in
 * the test JVM shares the broker and the consumer group, so whichever context takes a
 * record must see the same sender.
 */
@Component
@Primary
public class RecordingNotificationSender implements NotificationSender {

    /** One call of the sender: what it was asked to send and whether it refused. */
    public record Call(Notification notification, boolean failed, Instant at) {
    }

    private static final Queue<Call> calls = new ConcurrentLinkedQueue<>();

    /**
     * Per recipient: how many times each of its notifications fails before it goes
     * through.
     */
    private static final Map<String, Integer> failuresPerNotification = new ConcurrentHashMap<>();

    private static final Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();

    @Override
    public void send(Notification notification) {
        int attempt = attempts.computeIfAbsent(notification.id(), id -> new AtomicInteger()).incrementAndGet();
        boolean failing = attempt <= failuresPerNotification.getOrDefault(notification.recipient(), 0);
        calls.add(new Call(notification, failing, Instant.now()));
        if (failing) {
            throw new IllegalStateException("mail server refused " + notification.recipient());
        }
    }

    /** From now on every send to this recipient fails, until {@link #recover}. */
    public void failFor(String recipient) {
        failuresPerNotification.put(recipient, Integer.MAX_VALUE);
    }

    /**
     * The first {@code times} sends of each notification to this recipient fail, later
     * ones go through.
     */
    public void failFirstSends(String recipient, int times) {
        failuresPerNotification.put(recipient, times);
    }

    public void recover(String recipient) {
        failuresPerNotification.remove(recipient);
    }

    /** The successful sends about this order, oldest first. */
    public List<Notification> sentAbout(UUID order) {
        return calls.stream()
            .filter(call -> !call.failed() && order.equals(call.notification().orderId()))
            .map(Call::notification)
            .toList();
    }

    /** Every call about this order, failed ones included, oldest first. */
    public List<Call> callsAbout(UUID order) {
        return calls.stream().filter(call -> order.equals(call.notification().orderId())).toList();
    }

}
