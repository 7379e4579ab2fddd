package quartet.dashboard;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A live tail of what the app publishes to the AMQP broker: the webhooks work exchange and its
 * dead-letter exchange. A server-named, exclusive, auto-delete queue bound to both receives a
 * copy of every message without taking any from the workers, and vanishes with the connection.
 */
@Component
class AmqpTail implements LiveTail, DisposableBean {

    /** The exchanges and routing keys DispatchGo documents for its delivery jobs and dead letters. */
    static final Map<String, String> EXCHANGES = Map.of("webhooks.deliveries", "delivery", "webhooks.deliveries.dlq", "dead");
    private static final Log log = LogFactory.getLog(AmqpTail.class);

    private final ConnectionFactory connectionFactory;
    private final DashboardStream stream;
    private final JsonMapper json;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile SimpleMessageListenerContainer container;

    AmqpTail(ConnectionFactory connectionFactory, DashboardStream stream, JsonMapper json) {
        this.connectionFactory = connectionFactory;
        this.stream = stream;
        this.json = json;
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        try {
            RabbitAdmin admin = new RabbitAdmin(connectionFactory);
            // Declared by the admin with an empty name: the broker names it (no x- arguments,
            // which some brokers refuse).
            Queue queue = admin.declareQueue();
            EXCHANGES.forEach((exchange, key) ->
                    admin.declareBinding(new Binding(queue.getName(), Binding.DestinationType.QUEUE, exchange, key, null)));
            SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
            container.setQueueNames(queue.getName());
            container.setAcknowledgeMode(AcknowledgeMode.NONE);
            container.setMessageListener(this::show);
            container.start();
            this.container = container;
        }
        catch (RuntimeException e) {
            log.warn("The dashboard's AMQP tail did not start: " + e.getMessage());
        }
    }

    private void show(Message message) {
        String exchange = message.getMessageProperties().getReceivedExchange();
        String key = message.getMessageProperties().getReceivedRoutingKey();
        JsonNode value;
        try {
            value = json.readTree(message.getBody());
        }
        catch (RuntimeException e) {
            value = json.getNodeFactory().stringNode(message.getBody().length + " bytes");
        }
        stream.publish(new DashboardEvent("amqp", exchange, key, EventSummaries.summary(exchange, value), Instant.now(),
                EventSummaries.refs(value)));
    }

    @Override
    public void destroy() {
        SimpleMessageListenerContainer container = this.container;
        if (container != null) {
            container.stop();
        }
    }
}
