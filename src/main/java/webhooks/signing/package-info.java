/**
 * Standard Webhooks signatures: an HMAC-SHA256 of id, timestamp and body, keyed with an
 * endpoint's {@code whsec_} secret.
 */
@NullMarked
package webhooks.signing;

import org.jspecify.annotations.NullMarked;
