package webhooks.delivery;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import webhooks.endpoint.Endpoints;

/**
 * Records an attempt and moves its delivery on, in one transaction: the attempt row, the new
 * state, disabling a gone endpoint, and the dead-letter copy of a delivery that gave up.
 */
@Component
class DeliveryOutcomes {

    private static final Log log = LogFactory.getLog(DeliveryOutcomes.class);

    private final Deliveries deliveries;
    private final Endpoints endpoints;
    private final RetryPolicy retryPolicy;
    private final ApplicationEventPublisher events;

    DeliveryOutcomes(Deliveries deliveries, Endpoints endpoints, RetryPolicy retryPolicy, ApplicationEventPublisher events) {
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.retryPolicy = retryPolicy;
        this.events = events;
    }

    @Transactional
    void record(Deliveries.Claim claim, AttemptResult result) {
        deliveries.recordAttempt(claim, result);
        RetryPolicy.Decision decision = retryPolicy.after(claim.attempt(), result);
        boolean applied = switch (decision.outcome()) {
            case SUCCEEDED -> deliveries.finish(claim, "SUCCEEDED", null);
            case RETRY -> deliveries.retryLater(claim, decision.delay(), result.summary());
            case GONE -> {
                endpoints.disable(claim.endpointId(), "The endpoint answered 410 Gone.");
                yield giveUp(claim, result.summary());
            }
            case FAILED -> giveUp(claim, result.summary());
        };
        if (!applied) {
            // The sweeper took this attempt for a crashed worker's; the attempt is on record anyway.
            log.warn("Delivery " + claim.deliveryId() + " attempt " + claim.attempt() + " ended after its claim was released");
        }
    }

    /** Ends a delivery that cannot be sent at all (its endpoint is disabled). */
    @Transactional
    void abandon(Deliveries.Claim claim, String reason) {
        giveUp(claim, reason);
    }

    private boolean giveUp(Deliveries.Claim claim, String error) {
        boolean failed = deliveries.finish(claim, "FAILED", error);
        if (failed) {
            events.publishEvent(new DeliveryDeadLettered(claim.deliveryId(), claim.messageId(), claim.endpointId(), claim.attempt(), error));
        }
        return failed;
    }
}
