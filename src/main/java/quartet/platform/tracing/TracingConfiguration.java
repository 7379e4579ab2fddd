package quartet.platform.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.util.function.SingletonSupplier;

/**
 * Carries the trace of a request through the event publication registry (see
 * {@link PublicationTraces}). With tracing switched off the tracer is Micrometer's no-op
 * one: nothing is stored and listeners run as they are.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    // Static and infrastructure, like the failure recorder: created before the beans they
    // wrap,
    // pulling in nothing until the first event.
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static PublicationTraces publicationTraces(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator,
            ObjectProvider<JdbcClient> jdbc, ObjectProvider<EventSerializer> serializer) {
        return new PublicationTraces(SingletonSupplier.of(() -> tracer.getIfAvailable(() -> Tracer.NOOP)),
                SingletonSupplier.of(() -> propagator.getIfAvailable(() -> Propagator.NOOP)),
                SingletonSupplier.of(jdbc::getObject), SingletonSupplier.of(serializer::getObject));
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static TracedPublicationRepository tracedPublicationRepository(PublicationTraces traces) {
        return new TracedPublicationRepository(traces);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ListenerTraces listenerTraces(PublicationTraces traces) {
        return new ListenerTraces(traces);
    }

}
