package quartet.platform.messaging;

import java.util.UUID;

/**
 * An event listener failed on a publication; told in-process (to the dashboard), never
 * stored or externalized. The publication stays FAILED in the registry.
 *
 * @param publicationId the event publication, as listed by {@code GET /api/events/failed}
 * @param listenerId the listener's id
 * @param eventType the event's class name
 * @param reason the failure's exception and message, credentials masked and length capped
 * @param attempts attempts so far, the first delivery included
 * @param maxAttempts the budget of attempts; {@code attempts} may exceed it after a
 * resubmission by hand
 * @param givenUp whether no automatic attempt follows: only a resubmission by hand runs
 * it again
 */
public record ListenerFailed(UUID publicationId, String listenerId, String eventType, String reason, int attempts,
        int maxAttempts, boolean givenUp) {
}
