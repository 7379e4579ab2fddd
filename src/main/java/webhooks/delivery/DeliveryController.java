package webhooks.delivery;

import java.util.List;
import java.util.Arrays;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import webhooks.ownership.Caller;

/**
 * Lists deliveries with their attempts, and redrives failed ones: the caller's own
 * deliveries (another client's are 404 and never listed), every client's for an admin.
 */
@RestController
@RequestMapping("/api/webhooks/deliveries")
class DeliveryController {

    private static final int MAX_LIMIT = 500;

    private final DeliveryViews views;

    private final Deliveries deliveries;

    DeliveryController(DeliveryViews views, Deliveries deliveries) {
        this.views = views;
        this.deliveries = deliveries;
    }

    @GetMapping
    List<DeliveryViews.DeliveryView> list(@RequestParam(required = false) UUID messageId,
            @RequestParam(required = false) UUID endpointId, @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "100") int limit, Authentication client) {
        DeliveryStatus wanted = status == null ? null
                : DeliveryStatus.named(status)
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.BAD_REQUEST,
                            "Unknown status " + status + "; one of " + Arrays.toString(DeliveryStatus.values()) + "."));
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "The limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return views.list(new DeliveryViews.Filter(messageId, endpointId, wanted, limit), Caller.of(client));
    }

    @GetMapping("/{id}")
    DeliveryViews.DeliveryView get(@PathVariable UUID id, Authentication client) {
        return views.find(id, Caller.of(client)).orElseThrow(() -> notFound(id));
    }

    /**
     * Sends a FAILED delivery again from its first attempt. Idempotent: redriving a
     * delivery that is already pending or in flight again changes nothing; a succeeded
     * one is refused.
     */
    @PostMapping("/{id}/redrive")
    ResponseEntity<DeliveryViews.DeliveryView> redrive(@PathVariable UUID id, Authentication client) {
        Caller caller = Caller.of(client);
        if (!deliveries.redrive(id, caller)) {
            DeliveryStatus status = deliveries.status(id, caller).orElseThrow(() -> notFound(id));
            if (status == DeliveryStatus.SUCCEEDED) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "Delivery " + id + " already succeeded.");
            }
        }
        return ResponseEntity.accepted().body(views.find(id, caller).orElseThrow(() -> notFound(id)));
    }

    private static ResponseStatusException notFound(UUID id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "No webhook delivery " + id + ".");
    }

}
