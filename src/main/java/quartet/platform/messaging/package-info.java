/**
 * Event publication around Spring Modulith's registry: sending externalized events to
 * Kafka or AMQP, resubmitting failed publications and keeping why they failed, the
 * archive purge and the outbox metrics.
 */
@NullMarked
package quartet.platform.messaging;

import org.jspecify.annotations.NullMarked;
