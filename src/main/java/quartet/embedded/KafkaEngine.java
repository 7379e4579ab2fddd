package quartet.embedded;

import java.util.Map;

/** A single-node KRaft Kafka broker in this JVM; Kafka is never installed on the host. */
final class KafkaEngine implements Engine {

    private final EmbeddedKafkaBroker broker;

    private KafkaEngine(EmbeddedKafkaBroker broker) {
        this.broker = broker;
    }

    static KafkaEngine start(RunDirectory run) {
        return new KafkaEngine(EmbeddedKafkaBroker.start(run.newSubdirectory("kafka")));
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
