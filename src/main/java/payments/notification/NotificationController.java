package payments.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import payments.ownership.Caller;

/**
 * The notifications of an order or a payment (a client's own, any for an admin), and the
 * replay of the notification topics, which serves every client's customers and so is an
 * admin's.
 */
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
    List<Notifications.Recorded> list(@RequestParam(required = false) UUID orderId,
            @RequestParam(required = false) UUID paymentId, Authentication client) {
        if ((orderId == null) == (paymentId == null)) {
            throw new IllegalArgumentException("Give either orderId or paymentId.");
        }
        Caller caller = Caller.of(client);
        return orderId != null ? notifications.forOrder(orderId, caller) : notifications.forPayment(paymentId, caller);
    }

    /**
     * Synchronous: answers 200 once every record up to the ends seen at the start has
     * been read.
     */
    @PostMapping("/replay")
    NotificationReplay.Summary replay(@Valid @RequestBody ReplayRequest request, Authentication client) {
        if (!Caller.of(client).admin()) {
            // Not a resource of the caller's that could be hidden by a 404: an operation
            // over every client's events.
            throw new ResponseStatusException(HttpStatus.FORBIDDEN,
                    "Replaying the notification topics needs an admin client.");
        }
        return replay.replaySince(request.since());
    }

}
