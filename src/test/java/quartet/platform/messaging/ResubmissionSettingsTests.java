package quartet.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The budget and backoff of automatic resubmissions. */
class ResubmissionSettingsTests {

    private final ResubmissionSettings settings = new ResubmissionSettings(Duration.ofSeconds(30),
            Duration.ofMinutes(1), 8, 100);

    private final Instant failed = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void waitsMinAgeAfterTheFirstAttemptAndTwiceAsLongAfterEachFurtherOne() {
        assertThat(settings.nextAttemptAfter(failed, 1)).isEqualTo(failed.plus(Duration.ofMinutes(1)));
        assertThat(settings.nextAttemptAfter(failed, 2)).isEqualTo(failed.plus(Duration.ofMinutes(2)));
        assertThat(settings.nextAttemptAfter(failed, 7)).isEqualTo(failed.plus(Duration.ofMinutes(64)));
    }

    @Test
    void givesUpOnceEveryAttemptOfTheBudgetFailed() {
        assertThat(settings.givesUpAfter(7)).isFalse();
        assertThat(settings.givesUpAfter(8)).isTrue();
        assertThat(settings.nextAttemptAfter(failed, 8)).isNull();
    }

    @Test
    void retriesAtOnceAfterAResubmissionByHandThatHasNotRunYet() {
        assertThat(settings.nextAttemptAfter(failed, 0)).isEqualTo(failed.plus(Duration.ofMinutes(1)));
    }

}
