package quartet.platform.messaging;

import java.util.Optional;

import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.modulith.events.Externalized;
import org.springframework.modulith.events.RoutingTarget;

/**
 * Which broker an {@link Externalized} event belongs to, read from its target. Every
 * event names its broker on the annotation, so no event goes to both:
 * <ul>
 * <li>a target {@code amqp:exchange::routingKey} goes to the AMQP broker;</li>
 * <li>a target {@code topic::key} (no prefix; Kafka topic names cannot contain a colon)
 * goes to Kafka.</li>
 * </ul>
 */
public enum Broker {

    KAFKA, AMQP;

    static final String AMQP_PREFIX = "amqp:";

    static Optional<Broker> of(Object event) {
        return targetOf(event).map(target -> target.startsWith(AMQP_PREFIX) ? AMQP : KAFKA);
    }

    /** The routing target named on the event, without the broker prefix. */
    static RoutingTarget routingTarget(Object event) {
        String target = targetOf(event).orElseThrow();
        if (target.startsWith(AMQP_PREFIX)) {
            target = target.substring(AMQP_PREFIX.length());
        }
        int separator = target.indexOf("::");
        return separator < 0 ? RoutingTarget.forTarget(target).withoutKey()
                : RoutingTarget.forTarget(target.substring(0, separator)).andKey(target.substring(separator + 2));
    }

    private static Optional<String> targetOf(Object event) {
        Externalized externalized = AnnotatedElementUtils.findMergedAnnotation(event.getClass(), Externalized.class);
        if (externalized == null) {
            return Optional.empty();
        }
        return Optional.of(externalized.target().isEmpty() ? externalized.value() : externalized.target());
    }

}
