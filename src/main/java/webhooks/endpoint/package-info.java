/**
 * Webhook endpoints: registration and the endpoint API, signing secrets and their
 * rotation, the event types they subscribe to, the guard against unsafe destinations and
 * each endpoint's health.
 */
@NullMarked
package webhooks.endpoint;

import org.jspecify.annotations.NullMarked;
