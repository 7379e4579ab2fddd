package webhooks.delivery;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import webhooks.WebhooksSettings;

/**
 * Decides what follows an attempt. 2xx succeeds; 410 means the endpoint is gone; a 429,
 * or a 503 with Retry-After, is the endpoint throttling us: the attempt is retried after
 * the Retry-After without counting (up to {@code max-throttled-attempts} per delivery),
 * and the whole endpoint waits that long. Otherwise the delivery retries until its last
 * attempt, after an exponential backoff with jitter, or after the endpoint's own
 * Retry-After on 429, 502, 503 and 504. The delay is drawn uniformly from a band just
 * below a ceiling that doubles per attempt: the random part spreads the retries of many
 * deliveries instead of synchronising them, and the floor below the band keeps the
 * promised retry window for every delivery (full jitter has none, so about a third of
 * deliveries used their attempts in under a day).
 */
@Component
class RetryPolicy {

    private static final Set<Integer> HONOURS_RETRY_AFTER = Set.of(429, 502, 503, 504);

    enum Outcome {

        SUCCEEDED, RETRY, THROTTLED, FAILED, GONE

    }

    /**
     * @param delay how long until the next attempt; zero unless RETRY or THROTTLED
     */
    record Decision(Outcome outcome, Duration delay) {
    }

    private final int maxAttempts;

    private final int maxThrottledAttempts;

    private final Duration baseDelay;

    private final Duration maxDelay;

    private final double jitter;

    private final DoubleSupplier random;

    @Autowired
    RetryPolicy(WebhooksSettings settings) {
        this(settings.maxAttempts(), settings.maxThrottledAttempts(), settings.retryBaseDelay(),
                settings.retryMaxDelay(), settings.retryJitter(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param random uniform in [0, 1)
     */
    RetryPolicy(int maxAttempts, int maxThrottledAttempts, Duration baseDelay, Duration maxDelay, double jitter,
            DoubleSupplier random) {
        this.maxAttempts = maxAttempts;
        this.maxThrottledAttempts = maxThrottledAttempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * @param attempt the attempt just made, counting from 1, throttled attempts left out
     * @param throttledBefore how many of the delivery's earlier attempts were throttled
     */
    Decision after(int attempt, int throttledBefore, AttemptResult result) {
        if (result.succeeded()) {
            return new Decision(Outcome.SUCCEEDED, Duration.ZERO);
        }
        if (result.statusCode() != null && result.statusCode() == 410) {
            return new Decision(Outcome.GONE, Duration.ZERO);
        }
        Optional<Duration> throttle = endpointThrottle(result);
        if (throttle.isPresent() && throttledBefore < maxThrottledAttempts) {
            return new Decision(Outcome.THROTTLED, throttle.get());
        }
        if (attempt >= maxAttempts) {
            return new Decision(Outcome.FAILED, Duration.ZERO);
        }
        if (result.statusCode() != null && HONOURS_RETRY_AFTER.contains(result.statusCode())
                && result.retryAfter() != null) {
            return new Decision(Outcome.RETRY, min(result.retryAfter(), maxDelay));
        }
        return new Decision(Outcome.RETRY, backoff(attempt));
    }

    /**
     * How long the endpoint asked to be left alone, all of its deliveries: the
     * Retry-After of a 429 or a 503 (capped like any delay); empty for every other
     * answer.
     */
    Optional<Duration> endpointThrottle(AttemptResult result) {
        Integer status = result.statusCode();
        if (status == null || (status != 429 && status != 503) || result.retryAfter() == null) {
            return Optional.empty();
        }
        return Optional.of(min(result.retryAfter(), maxDelay));
    }

    /** A delay drawn uniformly from the jitter band below the attempt's ceiling. */
    Duration backoff(int attempt) {
        double fraction = 1 - jitter * random.getAsDouble();
        return Duration.ofMillis((long) (fraction * ceiling(attempt).toMillis()));
    }

    Duration ceiling(int attempt) {
        // beyond that the cap has long been reached
        int doublings = Math.min(attempt - 1, 30);
        long millis = baseDelay.toMillis() << doublings;
        return millis < 0 ? maxDelay : min(Duration.ofMillis(millis), maxDelay);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

}
