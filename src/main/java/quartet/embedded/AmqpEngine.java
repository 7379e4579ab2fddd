package quartet.embedded;

import java.util.Map;

/** An AMQP 0-9-1 broker in this JVM (Apache Qpid Broker-J) standing in for RabbitMQ. */
final class AmqpEngine implements Engine {

    private final EmbeddedAmqpBroker broker;

    private AmqpEngine(EmbeddedAmqpBroker broker) {
        this.broker = broker;
    }

    static AmqpEngine start(RunDirectory run) {
        return new AmqpEngine(EmbeddedAmqpBroker.start(run.newSubdirectory("amqp")));
    }

    @Override
    public Service service() {
        return Service.AMQP;
    }

    @Override
    public Map<String, Object> connectionProperties() {
        return Map.of("spring.rabbitmq.host", "127.0.0.1",
                "spring.rabbitmq.port", broker.port(),
                "spring.rabbitmq.username", broker.username(),
                "spring.rabbitmq.password", broker.password());
    }

    @Override
    public void close() {
        broker.close();
    }
}
