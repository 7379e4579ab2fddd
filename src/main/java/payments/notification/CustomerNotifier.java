package payments.notification;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;

/**
 * Turns an event into at most one notification and sends it. The row is committed before
 * the send, so a crash in between is retried once the claim expires (at least once at the
 * sender), and a second delivery of the event finds the row and sends nothing. A send
 * that throws leaves the notification FAILED with its error and the time of the next
 * attempt (exponential backoff), until the attempts are used up.
 */
@Component
class CustomerNotifier {

    /** What became of one event. */
    enum Outcome {

        /** Sent now. */
        SENT,
        /**
         * Its notification had been sent before, or is being sent by someone else right
         * now.
         */
        ALREADY_SENT,
        /** Tried now and failed; retried later if attempts are left. */
        FAILED

    }

    private static final Log log = LogFactory.getLog(CustomerNotifier.class);

    private static final String CHANNEL = "email";

    private final Notifications notifications;

    private final NotificationSender sender;

    private final NotificationSettings settings;

    private final Clock clock = Clock.systemUTC();

    CustomerNotifier(Notifications notifications, NotificationSender sender, NotificationSettings settings) {
        this.notifications = notifications;
        this.sender = sender;
        this.settings = settings;
    }

    /**
     * Notifies an event the first time it is seen. With {@code retryUnsent} (a replay) an
     * event whose notification failed, or was abandoned mid-send, is tried once more,
     * even if its attempts were used up: a replay is an operator's decision.
     */
    Outcome notify(NotificationSubject subject, boolean retryUnsent) {
        Instant now = clock.instant();
        String recipient = subject.customerReference() != null ? subject.customerReference()
                : notifications.customerOf(subject.orderId()).orElse("unknown");
        Optional<Notifications.Recorded> claimed = notifications.recordOnce(subject, recipient, CHANNEL, now,
                now.plus(settings.claimTimeout()));
        if (claimed.isEmpty() && retryUnsent) {
            claimed = notifications.claimUnsent(subject.eventType(), subject.eventKey(), now,
                    now.plus(settings.claimTimeout()));
        }
        return claimed.map(this::send).orElse(Outcome.ALREADY_SENT);
    }

    /** Sends a notification the caller has claimed, and records how it went. */
    Outcome send(Notifications.Recorded claimed) {
        try {
            sender.send(claimed.notification());
        }
        catch (RuntimeException e) {
            boolean attemptsLeft = claimed.attempts() < settings.maxAttempts();
            Instant next = attemptsLeft ? clock.instant().plus(settings.backoffAfter(claimed.attempts())) : null;
            log.warn("Notification " + claimed.template() + " for order " + claimed.orderId() + " failed (attempt "
                    + claimed.attempts() + " of " + settings.maxAttempts()
                    + (attemptsLeft ? ", next at " + next : ", giving up") + "): " + e.getMessage());
            notifications.markFailed(claimed,
                    String.valueOf(e.getMessage() == null ? e.getClass().getName() : e.getMessage()), next);
            return Outcome.FAILED;
        }
        notifications.markSent(claimed, clock.instant());
        return Outcome.SENT;
    }

}
