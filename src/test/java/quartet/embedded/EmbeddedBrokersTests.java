package quartet.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

class EmbeddedBrokersTests {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBrokersTests.class);

    @TempDir
    Path tempDir;

    @BeforeAll
    static void quietBrokerLogs() {
        // No Spring context here, so logback runs unconfigured (everything at DEBUG).
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        for (String name : List.of("kafka", "org.apache.kafka", "org.apache.qpid", "qpid", "state.change.logger",
                "org.springframework")) {
            logging.getLogger(name).setLevel(Level.WARN);
        }
    }

    @Test
    void kafkaBrokerRoundTripsARecordAndCleansUp() throws Exception {
        Path workDir = tempDir.resolve("kafka");
        String bootstrapServers;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(workDir)) {
            log.info("Embedded Kafka started in {} ms at {}", broker.startupTime().toMillis(),
                    broker.bootstrapServers());
            bootstrapServers = broker.bootstrapServers();
            assertThat(workDir).isDirectory();

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
                admin.createTopics(List.of(new NewTopic("quartet.test", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>("quartet.test", "key", "hello kafka")).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                    Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
                            "quartet-test", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("quartet.test"));
                List<ConsumerRecord<String, String>> received = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                    return !received.isEmpty();
                });
                assertThat(received).singleElement().satisfies(record -> {
                    assertThat(record.key()).isEqualTo("key");
                    assertThat(record.value()).isEqualTo("hello kafka");
                });
            }
        }
        assertThat(workDir).doesNotExist();
        assertPortReleased(Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1)));
    }

    @Test
    void amqpBrokerConfirmsAndDeliversAMessageAndCleansUp() throws Exception {
        Path workDir = tempDir.resolve("amqp");
        int port;
        try (EmbeddedAmqpBroker broker = EmbeddedAmqpBroker.start(workDir)) {
            log.info("Embedded AMQP broker started in {} ms on port {}", broker.startupTime().toMillis(),
                    broker.port());
            port = broker.port();
            assertThat(workDir).isDirectory();
            // What a fat jar relies on: Qpid's URL handlers reachable through Tomcat's
            // JVM-wide factory.
            assertThat(TomcatURLStreamHandlerFactory.getInstance().createURLStreamHandler("classpath")).isNotNull();

            CachingConnectionFactory connectionFactory = connectionFactory(broker, "/");
            try {
                connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
                RabbitAdmin admin = new RabbitAdmin(connectionFactory);
                admin.declareQueue(new Queue("quartet.test", true, false, false));

                RabbitTemplate template = new RabbitTemplate(connectionFactory);
                CorrelationData correlation = new CorrelationData("m1");
                template.convertAndSend("", "quartet.test", "hello amqp", correlation);
                assertThat(correlation.getFuture().get(10, TimeUnit.SECONDS).ack()).isTrue();

                assertThat(template.receiveAndConvert("quartet.test", 10_000)).isEqualTo("hello amqp");
            }
            finally {
                connectionFactory.destroy();
            }

            // The pattern alias maps any virtual host name to the one in-memory host.
            CachingConnectionFactory otherHost = connectionFactory(broker, "quartet");
            try (Connection connection = otherHost.createConnection()) {
                assertThat(connection.isOpen()).isTrue();
            }
            finally {
                otherHost.destroy();
            }
        }
        assertThat(workDir).doesNotExist();
        assertPortReleased(port);
    }

    @Test
    void failedStartsDeleteTheWorkDirAndExplain() throws Exception {
        // A regular file where the work directory should be makes both starts fail early.
        Path kafkaDir = Files.createFile(tempDir.resolve("kafka-not-a-dir"));
        assertThatIllegalStateException().isThrownBy(() -> EmbeddedKafkaBroker.start(kafkaDir))
            .withMessageStartingWith("Could not start the embedded Kafka broker in " + kafkaDir);
        assertThat(kafkaDir).doesNotExist();

        Path amqpDir = Files.createFile(tempDir.resolve("amqp-not-a-dir"));
        assertThatIllegalStateException().isThrownBy(() -> EmbeddedAmqpBroker.start(amqpDir))
            .withMessageStartingWith("Could not start the embedded AMQP broker in " + amqpDir);
        assertThat(amqpDir).doesNotExist();
    }

    private static CachingConnectionFactory connectionFactory(EmbeddedAmqpBroker broker, String virtualHost) {
        CachingConnectionFactory connectionFactory = new CachingConnectionFactory("127.0.0.1", broker.port());
        connectionFactory.setUsername(broker.username());
        connectionFactory.setPassword(broker.password());
        connectionFactory.setVirtualHost(virtualHost);
        return connectionFactory;
    }

    private static void assertPortReleased(int port) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        });
    }

}
