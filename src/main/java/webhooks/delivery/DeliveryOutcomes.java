package webhooks.delivery;

import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import webhooks.endpoint.EndpointHealth;

/**
 * Records an attempt and moves its delivery on, in one transaction: the endpoint's health
 * and throttle, the attempt row, the new state, disabling a gone or persistently failing
 * endpoint, the dead-letter event of a delivery that gave up, and the hand-off of the
 * freed slot. The endpoint row is locked first, as deleting an endpoint does, so the two
 * never wait on each other in opposite orders.
 */
@Component
class DeliveryOutcomes {

    private static final Log log = LogFactory.getLog(DeliveryOutcomes.class);

    private final Deliveries deliveries;

    private final EndpointHealth health;

    private final RetryPolicy retryPolicy;

    private final ApplicationEventPublisher events;

    private final DeliveryMetrics metrics;

    DeliveryOutcomes(Deliveries deliveries, EndpointHealth health, RetryPolicy retryPolicy,
            ApplicationEventPublisher events, DeliveryMetrics metrics) {
        this.deliveries = deliveries;
        this.health = health;
        this.retryPolicy = retryPolicy;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * @return the delivery that waited longest for the slot this attempt freed (made due
     * in the same transaction, so one flush commits both), to be attempted next by the
     * same worker
     */
    @Transactional
    Optional<UUID> record(Deliveries.Claim claim, AttemptResult result) {
        RetryPolicy.Decision decision = retryPolicy.after(claim.countedAttempt(), claim.throttledBefore(), result);
        // Etiquette holds even once a delivery's throttled attempts start counting: the
        // whole endpoint waits.
        retryPolicy.endpointThrottle(result).ifPresent(pause -> health.throttle(claim.endpointId(), pause));
        boolean endpointDisabled = switch (decision.outcome()) {
            case SUCCEEDED -> {
                health.attemptSucceeded(claim.endpointId());
                yield false;
            }
            case GONE -> {
                health.disable(claim.endpointId(), "The endpoint answered 410 Gone.");
                yield true;
            }
            case THROTTLED -> false;
            case RETRY, FAILED -> countsAgainstHealth(result) && health.attemptFailed(claim.endpointId());
        };
        deliveries.recordAttempt(claim, result, decision.outcome() == RetryPolicy.Outcome.THROTTLED);
        metrics.attempted(decision.outcome(), result);
        boolean applied;
        if (decision.outcome() == RetryPolicy.Outcome.SUCCEEDED) {
            applied = deliveries.finish(claim, DeliveryStatus.SUCCEEDED, null);
        }
        else if (decision.outcome() == RetryPolicy.Outcome.THROTTLED) {
            applied = deliveries.retryLater(claim, decision.delay(), result.summary(), true);
        }
        else if (decision.outcome() == RetryPolicy.Outcome.RETRY && !endpointDisabled) {
            applied = deliveries.retryLater(claim, decision.delay(), result.summary(), false);
        }
        else {
            applied = giveUp(claim, result.summary());
        }
        if (!applied) {
            // The sweeper took this attempt for a crashed worker's; the attempt is on
            // record anyway.
            log.warn("Delivery " + claim.deliveryId() + " attempt " + claim.attempt()
                    + " ended after its claim was released");
        }
        return deliveries.handOff(claim.endpointId());
    }

    /**
     * A 429, or a 503 with Retry-After, says the endpoint is alive but wants us slower:
     * it neither extends nor ends a failure streak. Everything else that is not a success
     * (errors, timeouts, refusals) counts.
     */
    private boolean countsAgainstHealth(AttemptResult result) {
        return result.statusCode() == null
                || (result.statusCode() != 429 && retryPolicy.endpointThrottle(result).isEmpty());
    }

    /** Ends a delivery that cannot be sent at all (its endpoint is disabled). */
    @Transactional
    void abandon(Deliveries.Claim claim, String reason) {
        giveUp(claim, reason);
    }

    private boolean giveUp(Deliveries.Claim claim, String error) {
        boolean failed = deliveries.finish(claim, DeliveryStatus.FAILED, error);
        if (failed) {
            events.publishEvent(new DeliveryDeadLettered(claim.deliveryId(), claim.messageId(), claim.endpointId(),
                    claim.attempt(), error));
        }
        return failed;
    }

}
