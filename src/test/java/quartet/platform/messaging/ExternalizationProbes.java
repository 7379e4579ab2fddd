package quartet.platform.messaging;

import org.springframework.modulith.events.Externalized;

/** Test-only events, one per broker, plus one aimed at an exchange that does not exist yet. */
final class ExternalizationProbes {

    private ExternalizationProbes() {
    }

    static final String TOPIC = "quartet.test.probes";
    static final String EXCHANGE = "quartet.test.probes";
    static final String LATE_EXCHANGE = "quartet.test.late";

    @Externalized(TOPIC + "::#{#this.id()}")
    record KafkaProbe(String id) {
    }

    @Externalized("amqp:" + EXCHANGE + "::probe")
    record AmqpProbe(String id) {
    }

    @Externalized("amqp:" + LATE_EXCHANGE + "::probe")
    record LateAmqpProbe(String id) {
    }
}
