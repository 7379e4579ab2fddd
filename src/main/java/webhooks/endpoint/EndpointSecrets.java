package webhooks.endpoint;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates endpoint signing secrets in the Standard Webhooks form. */
final class EndpointSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final int KEY_BYTES = 32;

    private EndpointSecrets() {
    }

    static String generate() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

}
