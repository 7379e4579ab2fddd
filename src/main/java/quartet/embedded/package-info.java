/**
 * Embedded engines (PostgreSQL, Redis, Kafka, an AMQP broker) started for every backing
 * service that is not configured, so a plain java -jar runs with nothing installed.
 */
@NullMarked
package quartet.embedded;

import org.jspecify.annotations.NullMarked;
