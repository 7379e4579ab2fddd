/**
 * Customer notifications of payment, order and refund events: sent at most once per event
 * by a Kafka consumer group of their own, retried with backoff, listed by the API and
 * replayable from a point in time.
 */
@NullMarked
package payments.notification;

import org.jspecify.annotations.NullMarked;
