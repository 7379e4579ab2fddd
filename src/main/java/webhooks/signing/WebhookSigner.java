package webhooks.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,} followed by the base64 HMAC-SHA256 of
 * {@code id.timestamp.body}, keyed with the base64-decoded part of a {@code whsec_}
 * secret.
 */
public final class WebhookSigner {

    private static final String SECRET_PREFIX = "whsec_";

    private static final String VERSION = "v1,";

    private WebhookSigner() {
    }

    /** The value of the webhook-signature header for one attempt. */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        return VERSION + Base64.getEncoder()
            .encodeToString(
                    hmac(key(secret), id + "." + timestampSeconds + ".", body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The webhook-signature header for several secrets, their signatures separated by
     * spaces as the specification allows: during a secret rotation receivers verify with
     * either secret.
     */
    public static String sign(List<String> secrets, String id, long timestampSeconds, String body) {
        return secrets.stream()
            .map(secret -> sign(secret, id, timestampSeconds, body))
            .collect(Collectors.joining(" "));
    }

    /**
     * Whether a webhook-signature header (space-separated signatures, any of them may
     * match) carries a valid v1 signature, compared in constant time.
     */
    public static boolean verify(String secret, String id, long timestampSeconds, String body, String signatureHeader) {
        return verify(secret, id, timestampSeconds, body.getBytes(StandardCharsets.UTF_8), signatureHeader);
    }

    /**
     * As {@link #verify(String, String, long, String, String)}, for a body as the bytes
     * that arrived.
     */
    public static boolean verify(String secret, String id, long timestampSeconds, byte[] body, String signatureHeader) {
        byte[] expected = hmac(key(secret), id + "." + timestampSeconds + ".", body);
        boolean valid = false;
        for (String candidate : signatureHeader.trim().split(" +")) {
            if (!candidate.startsWith(VERSION)) {
                continue;
            }
            byte[] presented;
            try {
                presented = Base64.getDecoder().decode(candidate.substring(VERSION.length()));
            }
            catch (IllegalArgumentException e) {
                continue;
            }
            // no early exit: every candidate is compared, whatever the first one said
            valid |= MessageDigest.isEqual(expected, presented);
        }
        return valid;
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    private static byte[] hmac(byte[] key, String prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

}
