package webhooks.delivery;

import java.util.Arrays;
import java.util.Optional;

/**
 * Where a delivery is in its life. Every move is a conditional update in
 * {@link Deliveries}, so two workers, or a worker and the sweeper, never both make it.
 */
enum DeliveryStatus {

    /**
     * Waiting for its next attempt, due at {@code next_attempt_at}; new, retrying,
     * throttled or redriven.
     */
    PENDING,
    /**
     * Claimed by one worker for one attempt; back to PENDING if that worker is gone for
     * twice the request timeout.
     */
    PROCESSING,
    /** An attempt got a 2xx answer: it is never sent again. */
    SUCCEEDED,
    /**
     * Given up (attempts used up, the endpoint gone or disabled): a dead letter until
     * redriven.
     */
    FAILED;

    /** The status with this exact name, or empty. */
    static Optional<DeliveryStatus> named(String name) {
        return Arrays.stream(values()).filter(status -> status.name().equals(name)).findFirst();
    }

}
