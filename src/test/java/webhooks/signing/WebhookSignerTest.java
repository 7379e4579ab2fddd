package webhooks.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Against the test vector published with the Standard Webhooks specification. */
class WebhookSignerTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";

    private static final long TIMESTAMP = 1614265330;

    private static final String BODY = "{\"test\": 2432232314}";

    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    @Test
    void signsThePublishedTestVector() {
        assertThat(WebhookSigner.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void verifiesAnyOfSeveralSignatures() {
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP, BODY, EXPECTED)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP, BODY, "v1,bm90IGl0 " + EXPECTED)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP, BODY, "v1a,xyz " + EXPECTED)).isTrue();
    }

    @Test
    void signsWithTheNewSecretFirstAndTheOldOneDuringARotation() {
        String rotated = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);

        String header = WebhookSigner.sign(List.of(rotated, SECRET), ID, TIMESTAMP, BODY);

        assertThat(header.split(" ")).containsExactly(WebhookSigner.sign(rotated, ID, TIMESTAMP, BODY), EXPECTED);
        assertThat(WebhookSigner.verify(rotated, ID, TIMESTAMP, BODY, header)).isTrue();
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP, BODY, header)).isTrue();
        String unrelated = "whsec_"
                + java.util.Base64.getEncoder().encodeToString("an unrelated secret key".getBytes());
        assertThat(WebhookSigner.verify(unrelated, ID, TIMESTAMP, BODY, header)).isFalse();
        assertThat(WebhookSigner.sign(List.of(SECRET), ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void rejectsAnythingTamperedWith() {
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP, BODY + " ", EXPECTED)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP + 1, BODY, EXPECTED)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, "msg_other", TIMESTAMP, BODY, EXPECTED)).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP, BODY, "v2," + EXPECTED.substring(3))).isFalse();
        assertThat(WebhookSigner.verify(SECRET, ID, TIMESTAMP, BODY, "v1,not*base64")).isFalse();
    }

}
