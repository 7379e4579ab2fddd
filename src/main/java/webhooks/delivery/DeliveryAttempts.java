package webhooks.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import webhooks.WebhooksSettings;
import webhooks.endpoint.DeliveryTarget;
import webhooks.endpoint.DestinationGuard;
import webhooks.signing.WebhookSigner;

/**
 * One attempt at one delivery: claim it, check the destination's form, sign, send (the
 * client checks the addresses it connects to), record. An endpoint with its bound of
 * attempts in flight, or one that is throttling us, gets no more: its delivery waits, and
 * the worker takes the next job. A delivery waiting for a slot gets the next one its
 * endpoint frees: the worker whose attempt ended there takes it on at once. Nothing is
 * sent without a claim, so a job for a delivery that already succeeded, or that another
 * worker holds, does nothing.
 */
@Component
class DeliveryAttempts {

    private static final Log log = LogFactory.getLog(DeliveryAttempts.class);

    /**
     * Tries of a claim that met another claim for the same endpoint, 2 ms apart, before
     * its job goes back to the queue.
     */
    private static final int CONTENDED_RETRIES = 25;

    private static final long CONTENDED_PAUSE_NANOS = 2_000_000;

    private final Deliveries deliveries;

    private final DestinationGuard guard;

    private final WebhookClient client;

    private final DeliveryOutcomes outcomes;

    private final OutboundLimits limits;

    private final JsonMapper json;

    private final WebhooksSettings settings;

    DeliveryAttempts(Deliveries deliveries, DestinationGuard guard, WebhookClient client, DeliveryOutcomes outcomes,
            Optional<OutboundLimits> limits, JsonMapper json, WebhooksSettings settings) {
        this.deliveries = deliveries;
        this.guard = guard;
        this.client = client;
        this.outcomes = outcomes;
        this.limits = limits.orElse(OutboundLimits.NONE);
        this.json = json;
        this.settings = settings;
    }

    /**
     * Makes one attempt at the delivery, if it is due and its endpoint has a free slot.
     * @return the delivery that waited longest for the slot this attempt freed, to be
     * attempted next by the same worker; empty when none waits, or nothing was attempted
     */
    Optional<UUID> attempt(UUID deliveryId) {
        Deliveries.ClaimResult claimed = deliveries.claim(deliveryId, settings.maxConcurrentAttempts());
        for (int retry = 0; claimed instanceof Deliveries.Contended && retry < CONTENDED_RETRIES; retry++) {
            // the other claim takes a millisecond or two
            LockSupport.parkNanos(CONTENDED_PAUSE_NANOS);
            claimed = deliveries.claim(deliveryId, settings.maxConcurrentAttempts());
        }
        if (claimed instanceof Deliveries.EndpointThrottled throttled) {
            // The endpoint asked for a pause: its delivery waits it out, and the worker
            // takes the next job.
            deliveries.requeueLater(deliveryId, throttled.remaining());
            return Optional.empty();
        }
        if (claimed instanceof Deliveries.EndpointBusy || claimed instanceof Deliveries.Contended) {
            // No free slot: wait in the endpoint's line for the next attempt there to
            // end, and take the next job.
            deliveries.waitForSlot(deliveryId, settings.busyEndpointRetry());
            return Optional.empty();
        }
        if (!(claimed instanceof Deliveries.Claim claim)) {
            return Optional.empty();
        }
        if (!claim.target().enabled()) {
            outcomes.abandon(claim, "The endpoint is disabled.");
            return Optional.empty();
        }
        Optional<Duration> limited = limits.delayFor(claim.target());
        if (limited.isPresent()) {
            deliveries.postpone(claim, limited.get());
            return Optional.empty();
        }
        AttemptResult result = send(claim);
        Optional<UUID> next = outcomes.record(claim, result);
        if (log.isDebugEnabled()) {
            log.debug("Delivery " + deliveryId + " attempted: " + result.summary() + " in " + result.latencyMillis()
                    + " ms");
        }
        return next;
    }

    private AttemptResult send(Deliveries.Claim claim) {
        DeliveryTarget target = claim.target();
        try {
            // The addresses are checked by the client at connect time, against the very
            // lookup it connects with.
            guard.checkForm(target.url());
        }
        catch (DestinationGuard.RefusedDestination e) {
            return AttemptResult.noResponse("refused: " + e.getMessage(), 0);
        }
        Deliveries.Message message = claim.message();
        String body = body(message);
        String webhookId = "msg_" + message.id();
        long timestamp = Instant.now().getEpochSecond();
        String signature = WebhookSigner.sign(target.signingSecrets(), webhookId, timestamp, body);
        return client.send(new WebhookClient.SignedRequest(target.url(), webhookId, timestamp, signature, body,
                claim.traceparent()));
    }

    /**
     * The webhook body: the event type, when the message was accepted, and its payload as
     * data.
     */
    private String body(Deliveries.Message message) {
        return "{\"type\":" + json.writeValueAsString(message.eventType()) + ",\"timestamp\":"
                + json.writeValueAsString(message.createdAt().toString()) + ",\"data\":" + message.payload() + "}";
    }

}
