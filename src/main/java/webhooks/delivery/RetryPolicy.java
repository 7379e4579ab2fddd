package webhooks.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import webhooks.WebhooksSettings;

/**
 * Decides what follows an attempt. 2xx succeeds; 410 means the endpoint is gone; otherwise the
 * delivery retries until its last attempt, after an exponential backoff with full jitter (a
 * delay drawn uniformly between zero and a ceiling that doubles per attempt, so retries from
 * many deliveries spread out instead of arriving together), or after the endpoint's own
 * Retry-After on 429, 502, 503 and 504.
 */
@Component
class RetryPolicy {

    private static final Set<Integer> HONOURS_RETRY_AFTER = Set.of(429, 502, 503, 504);

    enum Outcome {
        SUCCEEDED, RETRY, FAILED, GONE
    }

    /** @param delay how long until the next attempt; zero unless RETRY */
    record Decision(Outcome outcome, Duration delay) {
    }

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final DoubleSupplier random;

    @Autowired
    RetryPolicy(WebhooksSettings settings) {
        this(settings.maxAttempts(), settings.retryBaseDelay(), settings.retryMaxDelay(), () -> ThreadLocalRandom.current().nextDouble());
    }

    RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.random = random;
    }

    /** @param attempt the attempt just made, counting from 1 */
    Decision after(int attempt, AttemptResult result) {
        if (result.succeeded()) {
            return new Decision(Outcome.SUCCEEDED, Duration.ZERO);
        }
        if (result.statusCode() != null && result.statusCode() == 410) {
            return new Decision(Outcome.GONE, Duration.ZERO);
        }
        if (attempt >= maxAttempts) {
            return new Decision(Outcome.FAILED, Duration.ZERO);
        }
        if (result.statusCode() != null && HONOURS_RETRY_AFTER.contains(result.statusCode()) && result.retryAfter() != null) {
            return new Decision(Outcome.RETRY, min(result.retryAfter(), maxDelay));
        }
        return new Decision(Outcome.RETRY, backoff(attempt));
    }

    /** A delay drawn uniformly below base times two to the power attempt minus one, capped. */
    Duration backoff(int attempt) {
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling(attempt).toMillis()));
    }

    Duration ceiling(int attempt) {
        int doublings = Math.min(attempt - 1, 30); // beyond that the cap has long been reached
        long millis = baseDelay.toMillis() << doublings;
        return millis < 0 ? maxDelay : min(Duration.ofMillis(millis), maxDelay);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
