package webhooks.delivery;

import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import webhooks.endpoint.Endpoints;
import webhooks.ownership.Caller;

/**
 * Sends an endpoint's failed deliveries again after it has been repaired: the caller's
 * own endpoint (another client's is 404), any for an admin.
 */
@RestController
class RecoveryController {

    private final Deliveries deliveries;

    private final Endpoints endpoints;

    RecoveryController(Deliveries deliveries, Endpoints endpoints) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
    }

    /**
     * @param since the earliest acceptance time of the messages to recover
     */
    record RecoveryRequest(@NotNull Instant since) {
    }

    /**
     * @param recovered how many FAILED deliveries this call made pending again
     */
    record Recovery(UUID endpointId, Instant since, int recovered) {
    }

    /**
     * Redrives every FAILED delivery of the endpoint accepted since the given time.
     * Idempotent: a second call finds them pending, in flight or succeeded and recovers
     * nothing more.
     */
    @PostMapping("/api/webhooks/endpoints/{id}/recover")
    ResponseEntity<Recovery> recover(@PathVariable UUID id, @Valid @RequestBody RecoveryRequest request,
            Authentication client) {
        Caller caller = Caller.of(client);
        boolean enabled = endpoints.enabled(id, caller)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No webhook endpoint " + id + "."));
        if (!enabled) {
            // Recovered deliveries would fail again at once without a request.
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "Webhook endpoint " + id + " is disabled; enable it first.");
        }
        return ResponseEntity.accepted()
            .body(new Recovery(id, request.since(), deliveries.recover(id, request.since(), caller)));
    }

}
