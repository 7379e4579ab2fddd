/**
 * Standard Webhooks signatures: an HMAC-SHA256 of id, timestamp and body, keyed with an
 * endpoint's {@code whsec_} secret. Published (named interface {@code signing}) so that a
 * receiver in the same application, such as the dashboard's demo receiver, verifies with
 * the very code that signs.
 */
@NullMarked
@NamedInterface("signing")
package webhooks.signing;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.NamedInterface;
