package quartet.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A live tail of the Kafka topics the app writes: payments, orders, refunds, links and
 * clicks, the payment work topic with its retry and dead-letter topics. Its own consumer
 * group per instance (every instance's dashboard sees everything), starting at the end of
 * each topic, no offsets committed: it only watches. A topic that appears later (Kafka
 * creates topics on first use) is read from its beginning, so its first record is not
 * missed.
 */
@Component
class KafkaTail implements LiveTail, DisposableBean {

    static final Pattern TOPICS = Pattern
        .compile("(payment|order|refund|link)\\..*|webhooks\\.(endpoint-disabled|delivery-dead-lettered)");

    private static final Log log = LogFactory.getLog(KafkaTail.class);

    private final KafkaProperties properties;

    private final KafkaConnectionDetails connection;

    private final DashboardStream stream;

    private final JsonMapper json;

    private final AtomicBoolean started = new AtomicBoolean();

    private volatile @Nullable KafkaConsumer<byte[], byte[]> consumer;

    private volatile boolean assigned;

    KafkaTail(KafkaProperties properties, KafkaConnectionDetails connection, DashboardStream stream, JsonMapper json) {
        this.properties = properties;
        this.connection = connection;
        this.stream = stream;
        this.json = json;
    }

    @Override
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Map<String, Object> config = new HashMap<>(properties.buildConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", connection.getConsumer().getBootstrapServers()));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "quartet-dashboard-" + UUID.randomUUID());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "quartet-dashboard");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // New topics are found within seconds instead of the default five minutes.
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 3000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(config);
        Thread thread = new Thread(this::run, "dashboard-kafka-tail");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Whether the consumer holds its partitions, so records from now on will be shown.
     */
    boolean assigned() {
        return assigned;
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> consumer = this.consumer;
        Map<TopicPartition, Long> positions = new HashMap<>();
        AtomicBoolean first = new AtomicBoolean(true);
        try {
            consumer.subscribe(TOPICS, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition partition : partitions) {
                        Long position = positions.get(partition);
                        if (position != null) {
                            consumer.seek(partition, position);
                        }
                        else if (first.get()) {
                            consumer.seekToEnd(java.util.List.of(partition));
                        }
                        // else: a topic that appeared while we watch, read from its start
                    }
                    first.set(false);
                    assigned = true;
                }
            });
            while (true) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    show(record);
                }
            }
        }
        catch (WakeupException e) {
            // stopping
        }
        catch (RuntimeException e) {
            log.warn("The dashboard's Kafka tail stopped: " + e.getMessage());
        }
        finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void show(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode value;
        try {
            value = record.value() == null ? json.nullNode() : json.readTree(record.value());
        }
        catch (RuntimeException e) {
            value = json.getNodeFactory().stringNode(record.value().length + " bytes");
        }
        stream.publish(new DashboardEvent("kafka", record.topic(), key, EventSummaries.summary(record.topic(), value),
                Instant.ofEpochMilli(record.timestamp()), EventSummaries.refs(value)));
    }

    @Override
    public void destroy() {
        KafkaConsumer<byte[], byte[]> consumer = this.consumer;
        if (consumer != null) {
            consumer.wakeup();
        }
    }

}
