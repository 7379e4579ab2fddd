package quartet.dashboard;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import webhooks.signing.WebhookSigner;

/**
 * Checks a Standard Webhooks request the way a merchant's receiver would: every header
 * present, the timestamp within the tolerance of now (an old request replayed is
 * refused), and any of the v1 signatures valid for the body, by the signing module's own
 * constant-time check.
 */
final class WebhookSignatures {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private WebhookSignatures() {
    }

    static boolean verify(@Nullable String secret, @Nullable String id, @Nullable String timestamp,
            @Nullable String signatures, byte[] body, Instant now) {
        if (secret == null || id == null || timestamp == null || signatures == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        }
        catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > TOLERANCE.toSeconds()) {
            return false;
        }
        return WebhookSigner.verify(secret, id, seconds, body, signatures);
    }

}
