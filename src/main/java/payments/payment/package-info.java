/**
 * Payments: the aggregate and its state machine, the idempotent payment and refund
 * commands behind the HTTP and gRPC APIs, and each payment's timeline.
 */
@NullMarked
package payments.payment;

import org.jspecify.annotations.NullMarked;
