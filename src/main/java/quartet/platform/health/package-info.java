/**
 * Health components the platform adds: Kafka's health, and which backing services this
 * instance runs embedded.
 */
@NullMarked
package quartet.platform.health;

import org.jspecify.annotations.NullMarked;
