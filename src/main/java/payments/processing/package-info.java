/**
 * Payment and refund processing: the Kafka consumers that call the payment provider, with
 * retry topics and dead-letter handling, the reconciler for payments left open, the
 * simulated provider and FlowPay's metrics.
 */
@NullMarked
package payments.processing;

import org.jspecify.annotations.NullMarked;
