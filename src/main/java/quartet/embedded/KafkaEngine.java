package quartet.embedded;

import java.util.Map;

/** A single-node KRaft Kafka broker in this JVM; Kafka is never installed on the host. */
final class KafkaEngine implements Engine {

    private final EmbeddedKafkaBroker broker;

    private KafkaEngine(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    static Launch prepare(RunDirectory run) {
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        return new Launch(Service.KAFKA, Map.of("spring.kafka.bootstrap-servers", EmbeddedKafkaBroker.bootstrapServers(brokerPort)),
                () -> new KafkaEngine(EmbeddedKafkaBroker.start(run.newSubdirectory("kafka"), brokerPort, controllerPort)));
    }

    @Override
    public Service service() {
        return Service.KAFKA;
    }

    @Override
    public Map<String, Object> connectionProperties() {
        return Map.of("spring.kafka.bootstrap-servers", broker.bootstrapServers());
    }

    @Override
    public void close() {
        broker.close();
    }
}
