package payments.notification;

/** The port to whatever delivers notifications (email, SMS…); a logging sender by default. */
public interface NotificationSender {

    /** A notification to deliver: who, over which channel, with which template, about what. */
    record Notification(java.util.UUID id, String recipient, String channel, String template, java.util.UUID orderId,
            java.util.UUID paymentId) {
    }

    /** @throws RuntimeException when delivery failed; the notification is then recorded as FAILED */
    void send(Notification notification);
}
