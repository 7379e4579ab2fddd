/**
 * Webhook messages and their deliveries: taking messages in (posted, or made from
 * FlowPay's events), the AMQP work queue and its workers, signed attempts through the
 * guarded client, retries, dead letters, redrive, retention and the delivery API.
 */
@NullMarked
package webhooks.delivery;

import org.jspecify.annotations.NullMarked;
