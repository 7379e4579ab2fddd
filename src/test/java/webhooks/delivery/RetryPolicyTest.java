package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import webhooks.WebhooksSettings;

class RetryPolicyTest {

    private static final Duration BASE = Duration.ofSeconds(30);

    private static final Duration MAX = Duration.ofHours(1);

    @ParameterizedTest(name = "attempt {0}: ceiling {1} s")
    @CsvSource({ "1, 30", "2, 60", "3, 120", "4, 240", "7, 1920", "8, 3600", "40, 3600" })
    void doublesTheCeilingPerAttemptUpToTheCap(int attempt, long seconds) {
        assertThat(policy(1.0).ceiling(attempt)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @ParameterizedTest(name = "jitter {0}, random {1}: {2} ms of the 120 s ceiling")
    @CsvSource({ "0.5, 0.0, 120000", "0.5, 0.5, 90000", "0.5, 0.75, 75000", "1.0, 0.0, 120000", "1.0, 0.5, 60000",
            "1.0, 0.75, 30000", "0.0, 0.7, 120000" })
    void drawsTheDelayFromTheJitterBandBelowTheCeiling(double jitter, double random, long millis) {
        assertThat(new RetryPolicy(5, 2, BASE, MAX, jitter, () -> random).backoff(3))
            .isEqualTo(Duration.ofMillis(millis));
    }

    /**
     * The promise in docs/webhooks.md: with the defaults, every delivery's retries span
     * at least 24 h, whatever the draws, and the draws still spread deliveries apart.
     */
    @Test
    void everyDefaultScheduleSpansAtLeastADayAndSchedulesStillDiffer() {
        WebhooksSettings defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("quartet.webhooks", WebhooksSettings.class);
        long seed = System.nanoTime();
        Random draws = new Random(seed);
        RetryPolicy policy = new RetryPolicy(defaults.maxAttempts(), defaults.maxThrottledAttempts(),
                defaults.retryBaseDelay(), defaults.retryMaxDelay(), defaults.retryJitter(), draws::nextDouble);
        Duration shortest = Duration.ofDays(365);
        Duration longest = Duration.ZERO;
        for (int schedule = 0; schedule < 100_000; schedule++) {
            Duration span = Duration.ZERO;
            for (int attempt = 1; attempt < defaults.maxAttempts(); attempt++) {
                RetryPolicy.Decision decision = policy.after(attempt, 0, response(500, null));
                assertThat(decision.outcome()).isEqualTo(RetryPolicy.Outcome.RETRY);
                span = span.plus(decision.delay());
            }
            shortest = shortest.compareTo(span) < 0 ? shortest : span;
            longest = longest.compareTo(span) > 0 ? longest : span;
        }
        assertThat(shortest).as("seed " + seed).isGreaterThanOrEqualTo(Duration.ofHours(24));
        assertThat(Duration.between(Instant.EPOCH.plus(shortest), Instant.EPOCH.plus(longest))).as("seed " + seed)
            .isGreaterThan(Duration.ofHours(20));
        // The last attempt ends it: no eighth retry.
        assertThat(policy.after(defaults.maxAttempts(), 0, response(500, null)).outcome())
            .isEqualTo(RetryPolicy.Outcome.FAILED);
    }

    @Test
    void succeedsOn2xxAndGivesUpOn410() {
        assertThat(policy(0.5).after(1, 0, response(204, null)).outcome()).isEqualTo(RetryPolicy.Outcome.SUCCEEDED);
        assertThat(policy(0.5).after(1, 0, response(410, null)).outcome()).isEqualTo(RetryPolicy.Outcome.GONE);
    }

    @Test
    void retriesOtherFailuresUntilTheLastAttempt() {
        RetryPolicy policy = policy(0.5);
        assertThat(policy.after(1, 0, response(500, null)))
            .isEqualTo(new RetryPolicy.Decision(RetryPolicy.Outcome.RETRY, Duration.ofMillis(22_500)));
        assertThat(policy.after(4, 0, AttemptResult.noResponse("refused", 3)).outcome())
            .isEqualTo(RetryPolicy.Outcome.RETRY);
        assertThat(policy.after(5, 0, response(500, null)).outcome()).isEqualTo(RetryPolicy.Outcome.FAILED);
        assertThat(policy.after(5, 0, response(200, null)).outcome()).isEqualTo(RetryPolicy.Outcome.SUCCEEDED);
    }

    @ParameterizedTest
    @CsvSource({ "429", "502", "503", "504" })
    void honoursRetryAfterOnOverloadCappedAtTheMaximum(int status) {
        assertThat(policy(0.5).after(1, 0, response(status, Duration.ofSeconds(90))).delay())
            .isEqualTo(Duration.ofSeconds(90));
        assertThat(policy(0.5).after(1, 0, response(status, Duration.ofDays(3))).delay()).isEqualTo(MAX);
    }

    /**
     * A 429, or a 503 with Retry-After, throttles: the attempt does not count until the
     * delivery has had its two (in this policy) throttled attempts, and the endpoint
     * pauses either way. Other answers are retries as before, whatever their Retry-After.
     */
    @ParameterizedTest(
            name = "HTTP {0}, Retry-After {1} s, {2} throttled before, attempt {3}: {4} after {5} ms, endpoint paused {6} ms")
    @CsvSource(nullValues = "none",
            value = { "429, 90, 0, 1, THROTTLED, 90000, 90000", "503, 90, 1, 5, THROTTLED, 90000, 90000",
                    "429, 259200, 0, 1, THROTTLED, 3600000, 3600000", "429, 0, 0, 1, THROTTLED, 0, 0",
                    "429, 90, 2, 1, RETRY, 90000, 90000", "503, 90, 2, 5, FAILED, 0, 90000",
                    "429, none, 0, 1, RETRY, 22500, none", "503, none, 0, 1, RETRY, 22500, none",
                    "502, 90, 0, 1, RETRY, 90000, none", "504, 90, 0, 5, FAILED, 0, none",
                    "500, 90, 0, 1, RETRY, 22500, none" })
    void throttlesOn429And503WithRetryAfterWithoutCountingTheAttempt(int status, Long retryAfterSeconds,
            int throttledBefore, int attempt, RetryPolicy.Outcome outcome, long delayMillis, Long pauseMillis) {
        RetryPolicy policy = policy(0.5);
        AttemptResult result = response(status,
                retryAfterSeconds == null ? null : Duration.ofSeconds(retryAfterSeconds));

        assertThat(policy.after(attempt, throttledBefore, result))
            .isEqualTo(new RetryPolicy.Decision(outcome, Duration.ofMillis(delayMillis)));
        assertThat(policy.endpointThrottle(result)).isEqualTo(Optional.ofNullable(pauseMillis).map(Duration::ofMillis));
    }

    @Test
    void ignoresRetryAfterOnOtherStatuses() {
        assertThat(policy(0.5).after(1, 0, response(500, Duration.ofSeconds(90))).delay())
            .isEqualTo(Duration.ofMillis(22_500));
    }

    @Test
    void readsRetryAfterAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2026-11-25T20:00:00Z");
        assertThat(RetryAfter.parse("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 20:01:00 GMT", now)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RetryAfter.parse("Wed, 25 Nov 2026 19:00:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse("-5", now)).isNull();
        assertThat(RetryAfter.parse(null, now)).isNull();
    }

    private static RetryPolicy policy(double random) {
        return new RetryPolicy(5, 2, BASE, MAX, 0.5, () -> random);
    }

    private static AttemptResult response(int status, Duration retryAfter) {
        return new AttemptResult(status, 10, null, "", retryAfter);
    }

}
