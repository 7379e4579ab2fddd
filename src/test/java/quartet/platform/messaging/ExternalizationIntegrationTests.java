package quartet.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import org.springframework.transaction.support.TransactionTemplate;
import quartet.platform.messaging.ExternalizationProbes.AmqpProbe;
import quartet.platform.messaging.ExternalizationProbes.KafkaProbe;
import quartet.platform.messaging.ExternalizationProbes.LateAmqpProbe;

/**
 * Events committed with a transaction reach the broker they name through the event
 * publication registry, and a publication the broker did not confirm stays in the
 * registry until a resubmission delivers it. Real brokers: embedded Kafka, and Qpid or
 * the machine's RabbitMQ.
 */
@SpringBootTest
class ExternalizationIntegrationTests {

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    KafkaAdmin kafkaAdmin;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    RabbitAdmin rabbitAdmin;

    @Autowired
    FailedEventPublications failedPublications;

    @Test
    void publishesACommittedEventToKafkaAndCompletesItsPublication() {
        String id = UUID.randomUUID().toString();
        try (TopicReader topic = TopicReader.of(kafkaAdmin, ExternalizationProbes.TOPIC)) {

            transaction.executeWithoutResult(status -> events.publishEvent(new KafkaProbe(id)));

            ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(30))
                .until(() -> topic.find(id), found -> found != null);
            assertThat(record.key()).isEqualTo(id);
            assertThat(record.value()).contains("\"id\":\"" + id + "\"");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> publicationsMentioning(id), count -> count == 0);
        assertThat(archivedPublicationsMentioning(id)).as("completed publications are archived").isEqualTo(1);
    }

    @Test
    void recordsTheTopicPartitionAndOffsetKafkaConfirmedForThePublication() {
        String id = UUID.randomUUID().toString();
        ConsumerRecord<String, String> record;
        try (TopicReader topic = TopicReader.of(kafkaAdmin, ExternalizationProbes.TOPIC)) {
            transaction.executeWithoutResult(status -> events.publishEvent(new KafkaProbe(id)));
            record = await().atMost(Duration.ofSeconds(30)).until(() -> topic.find(id), found -> found != null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> archivedPublicationsMentioning(id), count -> count == 1);

        assertThat(sendsOf(id)).singleElement()
            .isEqualTo("KAFKA " + ExternalizationProbes.TOPIC + " key " + id + " at " + record.partition() + "/"
                    + record.offset());
    }

    @Test
    void recordsTheExchangeAndRoutingKeyOnlyOnceTheAmqpBrokerConfirmed() {
        String id = UUID.randomUUID().toString();
        String exchange = "quartet.test.late." + id;

        transaction.executeWithoutResult(status -> events.publishEvent(new LateAmqpProbe(id, exchange)));

        await().dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(30))
            .until(() -> failedPublicationsMentioning(id), count -> count == 1);
        assertThat(sendsOf(id)).as("a refused message is not recorded as sent").isEmpty();

        String queue = bindQueueTo(exchange);
        failedPublications.resubmit(ResubmissionOptions.defaults()
            .withMinAge(Duration.ZERO)
            .withFilter(publication -> publication.getEvent() instanceof LateAmqpProbe probe && probe.id().equals(id)));
        assertThat(rabbit.receive(queue, Duration.ofSeconds(30).toMillis())).isNotNull();
        await().dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(10))
            .until(() -> archivedPublicationsMentioning(id), count -> count == 1);

        assertThat(sendsOf(id)).singleElement().isEqualTo("AMQP " + exchange + " key probe at -/-");
        rabbitAdmin.deleteExchange(exchange);
    }

    /** The recorded sends of the archived publication of the probe with this id. */
    private java.util.List<String> sendsOf(String id) {
        return jdbc.sql("""
                SELECT broker || ' ' || destination || ' key ' || routing_key || ' at '
                    || coalesce(kafka_partition::text, '-') || '/' || coalesce(kafka_offset::text, '-')
                FROM event_externalization WHERE publication_id IN (
                    SELECT id FROM event_publication_archive WHERE serialized_event LIKE :id
                    UNION ALL SELECT id FROM event_publication WHERE serialized_event LIKE :id)
                """).param("id", "%" + id + "%").query(String.class).list();
    }

    @Test
    void publishesACommittedEventToTheAmqpBrokerAndCompletesItsPublication() {
        String queue = bindQueueTo(ExternalizationProbes.EXCHANGE);
        String id = UUID.randomUUID().toString();

        transaction.executeWithoutResult(status -> events.publishEvent(new AmqpProbe(id)));

        Message message = rabbit.receive(queue, Duration.ofSeconds(30).toMillis());
        assertThat(message).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).contains("\"id\":\"" + id + "\"");
        await().atMost(Duration.ofSeconds(10)).until(() -> publicationsMentioning(id), count -> count == 0);
    }

    @Test
    void keepsAnUnconfirmedPublicationAndDeliversItOnResubmission() {
        String id = UUID.randomUUID().toString();
        String exchange = "quartet.test.late." + id;

        transaction.executeWithoutResult(status -> events.publishEvent(new LateAmqpProbe(id, exchange)));

        // The broker refused the message (no such exchange): the publication stays,
        // marked failed. RabbitMQ
        // closes the channel for it, and Spring AMQP's thread that returns the channel to
        // its cache may throw
        // on the way: not this test's concern, so Awaitility must not fail on other
        // threads' exceptions.
        await().dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(30))
            .until(() -> failedPublicationsMentioning(id), count -> count == 1);
        // The externalizer fails through its future, not by throwing: the broker's
        // refusal is still kept as the reason.
        assertThat(jdbc
            .sql("select f.reason from event_publication_failure f join event_publication e on e.id = f.publication_id"
                    + " where e.serialized_event like :id and f.listener_id = 'quartet.externalizer'")
            .param("id", "%" + id + "%")
            .query(String.class)
            .single()).startsWith("AmqpPublishException: ").contains(exchange);

        String queue = bindQueueTo(exchange);
        failedPublications.resubmit(ResubmissionOptions.defaults()
            .withMinAge(Duration.ZERO)
            .withFilter(publication -> publication.getEvent() instanceof LateAmqpProbe probe && probe.id().equals(id)));

        Message message = rabbit.receive(queue, Duration.ofSeconds(30).toMillis());
        assertThat(message).isNotNull();
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).contains(id);
        await().dontCatchUncaughtExceptions()
            .atMost(Duration.ofSeconds(10))
            .until(() -> publicationsMentioning(id), count -> count == 0);
        rabbitAdmin.deleteExchange(exchange);
    }

    private String bindQueueTo(String exchangeName) {
        DirectExchange exchange = new DirectExchange(exchangeName, true, false);
        rabbitAdmin.declareExchange(exchange);
        // A server-named queue: exclusive to this connection, gone when the test JVM is.
        Queue queue = rabbitAdmin.declareQueue();
        rabbitAdmin.declareBinding(BindingBuilder.bind(queue).to(exchange).with("probe"));
        return queue.getName();
    }

    private long publicationsMentioning(String id) {
        return jdbc.sql("select count(*) from event_publication where serialized_event like :id")
            .param("id", "%" + id + "%")
            .query(Long.class)
            .single();
    }

    private long archivedPublicationsMentioning(String id) {
        return jdbc.sql(
                "select count(*) from event_publication_archive where serialized_event like :id and completion_date is not null")
            .param("id", "%" + id + "%")
            .query(Long.class)
            .single();
    }

    private long failedPublicationsMentioning(String id) {
        return jdbc.sql("select count(*) from event_publication where serialized_event like :id and status = 'FAILED'")
            .param("id", "%" + id + "%")
            .query(Long.class)
            .single();
    }

}
