/**
 * Idempotency-Key handling: the key's form, the stored records per client, and running a
 * request so that a repeat replays its first response.
 */
@NullMarked
package payments.idempotency;

import org.jspecify.annotations.NullMarked;
