package quartet.embedded;

import java.util.Map;

/** An AMQP 0-9-1 broker in this JVM (Apache Qpid Broker-J) standing in for RabbitMQ. */
final class AmqpEngine implements Engine {

    private final EmbeddedAmqpBroker broker;

    private AmqpEngine(EmbeddedAmqpBroker broker) {
        this.broker = broker;
    }

    static Launch prepare(RunDirectory run) {
        int port = FreePorts.next();
        return new Launch(Service.AMQP, properties(port),
                () -> new AmqpEngine(EmbeddedAmqpBroker.start(run.newSubdirectory("amqp"), port)));
    }

    @Override
    public Service service() {
        return Service.AMQP;
    }

    @Override
    public Map<String, Object> connectionProperties() {
        return properties(broker.port());
    }

    private static Map<String, Object> properties(int port) {
        return Map.of("spring.rabbitmq.host", "127.0.0.1", "spring.rabbitmq.port", port, "spring.rabbitmq.username",
                EmbeddedAmqpBroker.USERNAME, "spring.rabbitmq.password", EmbeddedAmqpBroker.PASSWORD);
    }

    @Override
    public void close() {
        broker.close();
    }

}
