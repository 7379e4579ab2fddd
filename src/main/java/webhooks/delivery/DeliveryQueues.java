package webhooks.delivery;

import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.SimpleRabbitListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import webhooks.WebhooksSettings;

/**
 * The AMQP topology of deliveries and the worker pool that consumes it. Only plain
 * durable exchanges and queues: no broker-side TTLs or dead-letter arguments, which not
 * every AMQP 0-9-1 broker accepts (Qpid closes the connection on them). Delays live in
 * PostgreSQL, and so do dead letters: a FAILED delivery waits there for a redrive, and
 * {@link DeliveryDeadLettered} goes to a Kafka topic whose retention bounds it (a queue
 * nobody consumes would grow forever).
 */
@Configuration(proxyBeanMethods = false)
class DeliveryQueues {

    static final String WORK_EXCHANGE = "webhooks.deliveries";
    static final String WORK_QUEUE = "webhooks.deliveries";
    static final String WORK_KEY = "delivery";
    static final String WORKERS = "webhookWorkers";

    @Bean
    Declarables webhookDeliveryTopology() {
        DirectExchange work = new DirectExchange(WORK_EXCHANGE, true, false);
        Queue workQueue = new Queue(WORK_QUEUE, true, false, false);
        return new Declarables(work, workQueue, BindingBuilder.bind(workQueue).to(work).with(WORK_KEY));
    }

    /**
     * One consumer per worker, each with a prefetch of one: the broker hands this
     * instance exactly as many jobs as it has workers, and the rest stay in the queue for
     * other instances. Acks are manual and sent after the attempt is recorded.
     */
    @Bean(WORKERS)
    SimpleRabbitListenerContainerFactory webhookWorkers(SimpleRabbitListenerContainerFactoryConfigurer configurer,
            ConnectionFactory connectionFactory, WebhooksSettings settings) {
        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();
        configurer.configure(factory, connectionFactory);
        factory.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        factory.setConcurrentConsumers(settings.workers());
        factory.setMaxConcurrentConsumers(settings.workers());
        factory.setPrefetchCount(1);
        return factory;
    }

}
