/**
 * FlowPay: owns orders and payments, from the idempotent payment request through the
 * payment state machine to the events that tell the rest of Quartet a payment succeeded
 * or failed.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Payments (FlowPay)", allowedDependencies = "ratelimit")
@NullMarked
package payments;

import org.jspecify.annotations.NullMarked;
