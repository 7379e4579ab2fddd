package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

    private static final Duration BASE = Duration.ofSeconds(30);
    private static final Duration MAX = Duration.ofHours(1);

    @ParameterizedTest(name = "attempt {0}: ceiling {1} s")
    @CsvSource({ "1, 30", "2, 60", "3, 120", "4, 240", "7, 1920", "8, 3600", "40, 3600" })
    void doublesTheCeilingPerAttemptUpToTheCap(int attempt, long seconds) {
        assertThat(policy(1.0).ceiling(attempt)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void drawsTheDelayUniformlyBelowTheCeiling() {
        assertThat(policy(0.0).backoff(3)).isEqualTo(Duration.ZERO);
        assertThat(policy(0.5).backoff(3)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy(0.999).backoff(3)).isLessThan(Duration.ofSeconds(120));
    }

    @Test
    void succeedsOn2xxAndGivesUpOn410() {
        assertThat(policy(0.5).after(1, response(204, null)).outcome()).isEqualTo(RetryPolicy.Outcome.SUCCEEDED);
        assertThat(policy(0.5).after(1, response(410, null)).outcome()).isEqualTo(RetryPolicy.Outcome.GONE);
    }

    @Test
    void retriesOtherFailuresUntilTheLastAttempt() {
        RetryPolicy policy = policy(0.5);
        assertThat(policy.after(1, response(500, null))).isEqualTo(new RetryPolicy.Decision(RetryPolicy.Outcome.RETRY, Duration.ofSeconds(15)));
        assertThat(policy.after(4, AttemptResult.noResponse("refused", 3)).outcome()).isEqualTo(RetryPolicy.Outcome.RETRY);
        assertThat(policy.after(5, response(500, null)).outcome()).isEqualTo(RetryPolicy.Outcome.FAILED);
        assertThat(policy.after(5, response(200, null)).outcome()).isEqualTo(RetryPolicy.Outcome.SUCCEEDED);
    }

    @ParameterizedTest
    @CsvSource({ "429", "502", "503", "504" })
    void honoursRetryAfterOnOverloadCappedAtTheMaximum(int status) {
        assertThat(policy(0.5).after(1, response(status, Duration.ofSeconds(90))).delay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(policy(0.5).after(1, response(status, Duration.ofDays(3))).delay()).isEqualTo(MAX);
    }

    @Test
    void ignoresRetryAfterOnOtherStatuses() {
        assertThat(policy(0.5).after(1, response(500, Duration.ofSeconds(90))).delay()).isEqualTo(Duration.ofSeconds(15));
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
        return new RetryPolicy(5, BASE, MAX, () -> random);
    }

    private static AttemptResult response(int status, Duration retryAfter) {
        return new AttemptResult(status, 10, null, "", retryAfter);
    }
}
