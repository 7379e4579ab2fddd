package quartet.embedded;

import java.util.List;

import org.springframework.core.env.Environment;

/**
 * The external services Quartet talks to. A service is embedded unless one of its
 * connection properties is set (or the {@code quartet.services=local} switch names the
 * machine's own).
 */
enum Service {

    POSTGRESQL("spring.datasource.url"), KAFKA("spring.kafka.bootstrap-servers"),
    AMQP("spring.rabbitmq.host", "spring.rabbitmq.addresses"), REDIS("spring.data.redis.host", "spring.data.redis.url");

    private final List<String> connectionProperties;

    Service(String... connectionProperties) {
        this.connectionProperties = List.of(connectionProperties);
    }

    boolean isConfiguredIn(Environment environment) {
        return connectionProperties.stream().anyMatch(environment::containsProperty);
    }

    /** The property that, once set, points the application at this service. */
    String connectionProperty() {
        return connectionProperties.get(0);
    }

    String displayName() {
        return name().toLowerCase();
    }

}
