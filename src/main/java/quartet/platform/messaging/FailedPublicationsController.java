package quartet.platform.messaging;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Lists event publications whose listener failed, and resubmits one by hand. Behind the
 * API key, like all of /api.
 */
@RestController
@RequestMapping("/api/events/failed")
class FailedPublicationsController {

    private static final int MAX_LIMIT = 500;

    /**
     * One failed publication.
     *
     * @param status the registry's status: FAILED, or RESUBMITTED / PROCESSING while it
     * runs again
     * @param attempts attempts so far, the first delivery included
     * @param attemptsLeft automatic attempts left; a resubmission by hand starts a fresh
     * budget
     * @param lastReason the last failure's exception and message (credentials masked);
     * null when no listener failure was seen (the staleness monitor failed it: an
     * instance died mid-delivery)
     * @param givenUp whether no automatic attempt follows
     * @param nextAttemptAt when the next automatic attempt is due, if one is
     */
    record FailedPublicationView(UUID id, String listenerId, String eventType, Instant publicationDate, String status,
            int attempts, int attemptsLeft, @Nullable String lastReason, @Nullable Instant lastFailedAt,
            boolean givenUp, @Nullable Instant nextAttemptAt, @Nullable Instant resubmittedByHandAt) {
    }

    private final FailedPublications publications;

    private final EventPublicationResubmitter resubmitter;

    private final ResubmissionSettings settings;

    FailedPublicationsController(FailedPublications publications, EventPublicationResubmitter resubmitter,
            ResubmissionSettings settings) {
        this.publications = publications;
        this.resubmitter = resubmitter;
        this.settings = settings;
    }

    @GetMapping
    List<FailedPublicationView> list(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "The limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return publications.list(limit).stream().map(this::view).toList();
    }

    /**
     * Runs a failed publication's listener again now, with a fresh budget of automatic
     * attempts. Idempotent: one already running again is left alone; a completed one is
     * refused.
     */
    @PostMapping("/{id}/resubmit")
    ResponseEntity<FailedPublicationView> resubmit(@PathVariable UUID id) {
        FailedPublications.FailedPublication publication = publications.find(id)
            .orElseThrow(() -> publications.completed(id)
                    ? new ResponseStatusException(HttpStatus.CONFLICT,
                            "Event publication " + id + " already completed.")
                    : new ResponseStatusException(HttpStatus.NOT_FOUND, "No event publication " + id + "."));
        if (publication.failed()) {
            publications.startFreshBudget(publication);
            resubmitter.resubmitNow(publication);
        }
        // The listener runs asynchronously: this is its state right after the hand-over
        // (no body if it already completed).
        return publications.find(id)
            .map(this::view)
            .map(ResponseEntity.accepted()::body)
            .orElseGet(() -> ResponseEntity.accepted().build());
    }

    private FailedPublicationView view(FailedPublications.FailedPublication publication) {
        int inBudget = publication.attemptsInBudget();
        boolean givenUp = publication.failed() && settings.givesUpAfter(inBudget);
        Instant next = publication.failed() ? settings.nextAttemptAfter(publication.lastAttemptAt(), inBudget) : null;
        return new FailedPublicationView(publication.id(), publication.listenerId(), publication.eventType(),
                publication.publicationDate(), publication.status(), publication.attempts(),
                Math.max(0, settings.maxAttempts() - inBudget), publication.lastReason(), publication.lastFailedAt(),
                givenUp, next, publication.resubmittedByHandAt());
    }

}
