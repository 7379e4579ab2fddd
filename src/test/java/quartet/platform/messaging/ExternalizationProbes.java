package quartet.platform.messaging;

import org.springframework.modulith.events.Externalized;

/**
 * Test-only events, one per broker, plus one aimed at an exchange that does not exist
 * yet.
 */
final class ExternalizationProbes {

    private ExternalizationProbes() {
    }

    static final String TOPIC = "quartet.test.probes";
    static final String EXCHANGE = "quartet.test.probes";

    @Externalized(TOPIC + "::#{#this.id()}")
    record KafkaProbe(String id) {
    }

    @Externalized("amqp:" + EXCHANGE + "::probe")
    record AmqpProbe(String id) {
    }

    /**
     * Names its exchange at run time (a SpEL target), so each test run gets a fresh one.
     */
    @Externalized("amqp:#{#this.exchange()}::probe")
    record LateAmqpProbe(String id, String exchange) {
    }

}
