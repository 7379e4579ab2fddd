package quartet.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

/**
 * The reason kept for a failed listener: the thrown exception, credentials masked, one
 * line, capped.
 */
class FailureReasonsTests {

    @Test
    void namesTheExceptionTheListenerThrewNotTheFuturesWrapper() {
        var failure = new CompletionException(new IllegalStateException("order 42 is cancelled"));

        assertThat(FailureReasons.of(failure)).isEqualTo("IllegalStateException: order 42 is cancelled");
    }

    @Test
    void masksWhatLooksLikeACredential() {
        var failure = new IllegalArgumentException(
                "secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw, Authorization: Bearer abc.def.ghi,"
                        + " api_key=demo-key-change-me password=\"hunter2\" token: t0k3n");

        assertThat(FailureReasons.of(failure))
            .isEqualTo("IllegalArgumentException: secret whsec_***, Authorization: ***,"
                    + " api_key=*** password=\"***\" token: ***");
    }

    @Test
    void keepsOneLineOfAtMostFiveHundredCharacters() {
        var failure = new RuntimeException("first line\nsecond line " + "x".repeat(1_000));

        String reason = FailureReasons.of(failure);

        assertThat(reason).startsWith("RuntimeException: first line second line xxx")
            .hasSize(FailureReasons.MAX_LENGTH)
            .endsWith("…");
    }

    @Test
    void namesTheExceptionAloneWithoutAMessage() {
        assertThat(FailureReasons.of(new NullPointerException())).isEqualTo("NullPointerException");
    }

}
