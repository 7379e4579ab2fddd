package quartet.platform.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Reads what the application wrote to Kafka topics, as an outside consumer would: a group
 * of its own (so it never takes records from the application's consumers), from the start
 * of each topic.
 */
public final class TopicReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;

    private TopicReader(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /**
     * The record at exactly this offset of the partition, read by a consumer of its own
     * that seeks there; null if the broker has none there within ten seconds.
     */
    public static ConsumerRecord<String, String> recordAt(KafkaAdmin kafkaAdmin, String topic, int partition,
            long offset) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "topic-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition place = new TopicPartition(topic, partition);
            consumer.assign(List.of(place));
            consumer.seek(place, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() == offset) {
                        return record;
                    }
                }
            }
            return null;
        }
    }

    /** Subscribes to the topics with the broker settings of the running application. */
    public static TopicReader of(KafkaAdmin kafkaAdmin, String... topics) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "topic-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of(topics));
        return new TopicReader(consumer);
    }

    /** The records of one poll (up to half a second). */
    public Iterable<ConsumerRecord<String, String>> poll() {
        return consumer.poll(Duration.ofMillis(500));
    }

    /** The first record with this key in one poll, or null: for use inside an await. */
    public ConsumerRecord<String, String> find(String key) {
        for (ConsumerRecord<String, String> record : poll()) {
            if (key.equals(record.key())) {
                return record;
            }
        }
        return null;
    }

    @Override
    public void close() {
        consumer.close();
    }

}
