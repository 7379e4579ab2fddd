package quartet.platform.messaging;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.support.BrokerRouting;
import org.springframework.modulith.events.support.DelegatingEventExternalizer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends {@code @Externalized} events to the broker each one names (see {@link Broker}).
 * Kafka goes through spring-modulith-events-kafka, which reads the
 * {@link EventExternalizationConfiguration} bean below; AMQP goes through our own externalizer,
 * because spring-modulith-events-amqp is not available to this build. A publication completes
 * only once the broker confirmed the message, so an unconfirmed one stays incomplete and is
 * resubmitted.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "spring.modulith.events.externalization.enabled", matchIfMissing = true)
class ExternalizationConfiguration {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    /** Read by Modulith's Kafka externalizer: every externalized event that does not name AMQP. */
    @Bean
    EventExternalizationConfiguration kafkaExternalization() {
        return EventExternalizationConfiguration.externalizing()
            .select(event -> Broker.of(event).filter(Broker.KAFKA::equals).isPresent())
            .build();
    }

    @Bean
    DelegatingEventExternalizer amqpEventExternalizer(RabbitTemplate rabbit, BeanFactory beanFactory) {
        var amqpOnly = EventExternalizationConfiguration.externalizing()
            .select(event -> Broker.of(event).filter(Broker.AMQP::equals).isPresent())
            .routeAll(Broker::amqpTarget)
            .build();
        var evaluation = new StandardEvaluationContext();
        evaluation.setBeanResolver(new BeanFactoryResolver(beanFactory));
        return new DelegatingEventExternalizer(amqpOnly, (target, event) -> {
            BrokerRouting routing = BrokerRouting.of(target, evaluation);
            return publishConfirmed(rabbit, routing.getTarget(event), routing.getKey(event), event);
        });
    }

    static CompletableFuture<?> publishConfirmed(RabbitTemplate rabbit, String exchange, String routingKey, Object payload) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        rabbit.convertAndSend(exchange, routingKey == null ? "" : routingKey, payload, correlation);
        return correlation.getFuture().orTimeout(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).thenApply(confirm -> {
            if (!confirm.ack()) {
                throw new AmqpPublishException("Broker refused " + exchange + "/" + routingKey + ": " + confirm.reason());
            }
            if (correlation.getReturned() != null) {
                throw new AmqpPublishException("No queue bound for " + exchange + "/" + routingKey + ": "
                        + correlation.getReturned().getReplyText());
            }
            return confirm;
        });
    }

    @Bean
    JacksonJsonMessageConverter amqpJsonMessageConverter(JsonMapper json) {
        // Only our own types may be instantiated from a message's type header.
        return new JacksonJsonMessageConverter(json, "payments", "webhooks", "shortener", "ratelimit", "quartet");
    }

    /** A message the broker did not take; the publication stays incomplete. */
    static class AmqpPublishException extends RuntimeException {

        AmqpPublishException(String message) {
            super(message);
        }
    }
}
