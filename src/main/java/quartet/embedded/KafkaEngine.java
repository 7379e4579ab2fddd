package quartet.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A single-node KRaft Kafka broker in this JVM; Kafka is never installed on the host.
 * With a persistent data directory its log lives in {@code <data-directory>/kafka},
 * beside PostgreSQL's data, and survives restarts (also a {@code kill -9}): a processing
 * request the outbox handed over before a crash is still there after it. Otherwise it is
 * scratch, like the tests'.
 */
final class KafkaEngine implements Engine {

    private final EmbeddedKafkaBroker broker;

    private final Optional<Path> persistentDirectory;

    private KafkaEngine(EmbeddedKafkaBroker broker, Optional<Path> persistentDirectory) {
        this.broker = broker;
        this.persistentDirectory = persistentDirectory;
    }

    static Launch prepare(Optional<Path> persistentDirectory, RunDirectory run) {
        int brokerPort = FreePorts.next();
        int controllerPort = FreePorts.next();
        return new Launch(Service.KAFKA,
                Map.of("spring.kafka.bootstrap-servers", EmbeddedKafkaBroker.bootstrapServers(brokerPort)),
                () -> start(persistentDirectory, run, brokerPort, controllerPort));
    }

    private static KafkaEngine start(Optional<Path> persistentDirectory, RunDirectory run, int brokerPort,
            int controllerPort) {
        if (persistentDirectory.isEmpty()) {
            return new KafkaEngine(EmbeddedKafkaBroker.start(run.newSubdirectory("kafka"), brokerPort, controllerPort),
                    persistentDirectory);
        }
        Path root = persistentDirectory.get();
        DataDirectory.claim(root);
        try {
            return new KafkaEngine(
                    EmbeddedKafkaBroker.startKeepingData(root.resolve("kafka"), brokerPort, controllerPort),
                    persistentDirectory);
        }
        catch (RuntimeException e) {
            DataDirectory.release(root);
            throw e;
        }
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
        try {
            broker.close();
        }
        finally {
            persistentDirectory.ifPresent(DataDirectory::release);
        }
    }

}
