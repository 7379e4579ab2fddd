package payments.notification;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The port to whatever delivers notifications (email, SMS…); a logging sender by default.
 */
public interface NotificationSender {

    /**
     * A notification to deliver: who, over which channel, with which template, about
     * what. {@code paymentId} and {@code refundId} are null when the event has none.
     */
    record Notification(UUID id, String recipient, String channel, String template, UUID orderId,
            @Nullable UUID paymentId, @Nullable UUID refundId) {
    }

    /**
     * Called at least once per notification (again after a crash mid-send); the
     * notification's id is stable, so a channel that can deduplicate should key on it.
     * @throws RuntimeException when delivery failed; the notification is then FAILED and
     * retried later
     */
    void send(Notification notification);

}
