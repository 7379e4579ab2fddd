package quartet.dashboard;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
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
 * A live tail of what the app publishes to the AMQP broker: the webhooks work exchange. A
 * server-named, exclusive, auto-delete queue bound to it receives a copy of every message
 * without taking any from the workers, and vanishes with the connection; a new connection
 * gets a new one.
 */
@Component
class AmqpTail implements LiveTail, DisposableBean {

    /** The exchange and routing key DispatchGo documents for its delivery jobs. */
    static final Map<String, String> EXCHANGES = Map.of("webhooks.deliveries", "delivery");

    private static final Log log = LogFactory.getLog(AmqpTail.class);

    private final ConnectionFactory connectionFactory;

    private final DashboardStream stream;

    private final JsonMapper json;

    private final AtomicBoolean started = new AtomicBoolean();

    private final Queue queue = new Queue("", false, true, true);

    private volatile @Nullable SimpleMessageListenerContainer container;

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
            declare();
            SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connectionFactory);
            // The container reads the queue's current name whenever its consumers
            // (re)start.
            container.setQueues(queue);
            container.setAcknowledgeMode(AcknowledgeMode.NONE);
            container.setMessageListener(this::show);
            // An exclusive queue dies with its connection: declare a new one on every new
            // connection.
            connectionFactory.addConnectionListener(connection -> declare());
            container.start();
            this.container = container;
        }
        catch (RuntimeException e) {
            log.warn("The dashboard's AMQP tail did not start: " + e.getMessage());
        }
    }

    private synchronized void declare() {
        RabbitAdmin admin = new RabbitAdmin(connectionFactory);
        String current = queue.getActualName();
        if (current != null && !current.isEmpty() && admin.getQueueProperties(current) != null) {
            return; // still there: this connection is the one it was declared on
        }
        // An empty name: the broker names the queue. No x- arguments, which some brokers
        // refuse.
        admin.declareQueue(queue);
        EXCHANGES.forEach((exchange, key) -> admin
            .declareBinding(new Binding(queue, null, Binding.DestinationType.QUEUE, exchange, key, null)));
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
