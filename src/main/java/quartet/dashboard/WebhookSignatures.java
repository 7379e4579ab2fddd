package quartet.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Checks a Standard Webhooks signature the way a merchant's receiver would: HMAC-SHA256 of
 * id.timestamp.body keyed with the base64 part of the whsec_ secret, any of several
 * space-separated v1 signatures may match, compared in constant time, and the timestamp must lie
 * within the tolerance of now (an old request replayed is refused).
 */
final class WebhookSignatures {

    static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final String SECRET_PREFIX = "whsec_";

    private WebhookSignatures() {
    }

    static boolean verify(@Nullable String secret, @Nullable String id, @Nullable String timestamp, @Nullable String signatures, byte[] body, Instant now) {
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
        byte[] expected = sign(secret, id, seconds, body);
        boolean matched = false;
        for (String candidate : signatures.trim().split(" +")) {
            int comma = candidate.indexOf(',');
            if (comma < 0 || !"v1".equals(candidate.substring(0, comma))) {
                continue;
            }
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(candidate.substring(comma + 1));
            }
            catch (IllegalArgumentException e) {
                continue;
            }
            // Every candidate is compared, so the time taken does not tell which one matched.
            matched |= MessageDigest.isEqual(expected, presented);
        }
        return matched;
    }

    static byte[] sign(String secret, String id, long timestamp, byte[] body) {
        String key = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
