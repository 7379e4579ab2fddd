package payments.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The notifications of an order or a payment, and the replay of the notification topics. */
@RestController
@RequestMapping("/api/notifications")
class NotificationController {

    /** Replay the topics from this time on (ISO-8601, not in the future). */
    record ReplayRequest(@NotNull @PastOrPresent Instant since) {
    }

    private final Notifications notifications;
    private final NotificationReplay replay;

    NotificationController(Notifications notifications, NotificationReplay replay) {
        this.notifications = notifications;
        this.replay = replay;
    }

    @GetMapping
    List<Notifications.Recorded> list(@RequestParam(required = false) UUID orderId, @RequestParam(required = false) UUID paymentId) {
        if ((orderId == null) == (paymentId == null)) {
            throw new IllegalArgumentException("Give either orderId or paymentId.");
        }
        return orderId != null ? notifications.forOrder(orderId) : notifications.forPayment(paymentId);
    }

    /** Synchronous: answers 200 once every record up to the ends seen at the start has been read. */
    @PostMapping("/replay")
    NotificationReplay.Summary replay(@Valid @RequestBody ReplayRequest request) {
        return replay.replaySince(request.since());
    }
}
