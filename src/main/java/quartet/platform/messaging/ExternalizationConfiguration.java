package quartet.platform.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.converter.JacksonJsonMessageConverter;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.expression.EvaluationContext;
import org.springframework.expression.spel.support.StandardEvaluationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.modulith.events.support.BrokerRouting;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends {@code @Externalized} events to the broker each one names (see {@link Broker}),
 * through the event publication registry: a publication completes only once the broker
 * confirmed the message, so an unconfirmed one stays in the registry and is resubmitted
 * later.
 * <p>
 * Modulith's own Kafka externalizer is switched off (application.yaml): it would take
 * every externalized event, AMQP ones included. Its JSON serializer set-up for Kafka
 * stays on. spring-modulith-events-amqp is not available to this build, hence the AMQP
 * transport here.
 * <p>
 * Each confirmed send is recorded in the {@link ExternalizationLog} (Kafka: topic,
 * partition and offset of the send result; AMQP: exchange and routing key once the
 * publisher confirm acked), before the publication completes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "spring.modulith.events.externalization.enabled", matchIfMissing = true)
class ExternalizationConfiguration {

    private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Every externalized event, routed to its broker's target (the AMQP prefix removed).
     */
    @Bean
    EventExternalizationConfiguration eventExternalization() {
        return EventExternalizationConfiguration.externalizing()
            .select(event -> Broker.of(event).isPresent())
            .routeAll(Broker::routingTarget)
            .build();
    }

    @Bean
    ExternalizationLog externalizationLog(JdbcClient jdbc, EventSerializer serializer) {
        return new ExternalizationLog(jdbc, serializer);
    }

    @Bean
    BrokerExternalizer brokerExternalizer(EventExternalizationConfiguration configuration,
            KafkaOperations<Object, Object> kafka, RabbitTemplate rabbit, BeanFactory beanFactory,
            ExternalizationLog sends) {
        var evaluation = new StandardEvaluationContext();
        evaluation.setBeanResolver(new BeanFactoryResolver(beanFactory));
        return new BrokerExternalizer(configuration,
                Map.of(Broker.KAFKA,
                        (target, event) -> sendToKafka(kafka, configuration, routing(target, evaluation), event, sends),
                        Broker.AMQP, (target, event) -> sendToAmqp(rabbit, routing(target, evaluation), event, sends)));
    }

    private static BrokerRouting routing(RoutingTarget target, EvaluationContext evaluation) {
        return BrokerRouting.of(target, evaluation);
    }

    private static CompletableFuture<?> sendToKafka(KafkaOperations<Object, Object> kafka,
            EventExternalizationConfiguration configuration, BrokerRouting routing, Object event,
            ExternalizationLog sends) {
        String key = routing.getKey(event);
        // A Message, not a record: the template's JSON converter (set up by Modulith)
        // writes the value.
        var message = MessageBuilder.withPayload(event)
            .copyHeaders(configuration.getHeadersFor(event))
            .setHeader(KafkaHeaders.TOPIC, routing.getTarget(event))
            .setHeader(KafkaHeaders.KEY, key)
            .build();
        return kafka.send(message).thenApply(result -> {
            RecordMetadata sent = result.getRecordMetadata();
            sends.confirmed(event,
                    new ExternalizationLog.Send(Broker.KAFKA, sent.topic(), key, sent.partition(), sent.offset()));
            return result;
        });
    }

    private static CompletableFuture<?> sendToAmqp(RabbitTemplate rabbit, BrokerRouting routing, Object event,
            ExternalizationLog sends) {
        String exchange = routing.getTarget(event);
        String routingKey = routing.getKey(event) == null ? "" : routing.getKey(event);
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        rabbit.convertAndSend(exchange, routingKey, event, correlation);
        return correlation.getFuture()
            .orTimeout(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .thenApply(confirm -> {
                if (!confirm.ack()) {
                    throw new AmqpPublishException("The broker refused a message for " + exchange + "/" + routingKey
                            + ": " + confirm.reason());
                }
                if (correlation.getReturned() != null) {
                    throw new AmqpPublishException("No queue is bound for " + exchange + "/" + routingKey + ": "
                            + correlation.getReturned().getReplyText());
                }
                sends.confirmed(event, new ExternalizationLog.Send(Broker.AMQP, exchange, routingKey, null, null));
                return confirm;
            });
    }

    @Bean
    JacksonJsonMessageConverter amqpJsonMessageConverter(JsonMapper json) {
        // Only our own types may be instantiated from a message's type header.
        return new JacksonJsonMessageConverter(json, "payments", "webhooks", "shortener", "ratelimit", "quartet");
    }

    /** A message the AMQP broker did not take; its publication stays incomplete. */
    static class AmqpPublishException extends RuntimeException {

        AmqpPublishException(String message) {
            super(message);
        }

    }

}
