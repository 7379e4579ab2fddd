package payments.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the notification topics again from a point in time, as Kafka keeps them, and
 * notifies what was never notified. Each partition is read from the first offset at or
 * after that time (offsetsForTimes) up to its end as it was when the replay began, so
 * records arriving meanwhile are the consumer group's, not the replay's. The replay reads
 * with a consumer of no group, assigned rather than subscribed, that commits nothing: the
 * group's offsets stay as they were. Notifications already recorded are not sent again
 * (the UNIQUE record); failed or abandoned ones get one more attempt.
 */
@Component
class NotificationReplay {

    /** What one replay did. */
    record Summary(Instant since, long recordsRead, long sent, long alreadySent, long failed, long unreadable,
            boolean complete) {
    }

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaProperties properties;

    private final KafkaConnectionDetails connection;

    private final CustomerNotifier notifier;

    private final JsonMapper json;

    private final NotificationSettings settings;

    private final Clock clock = Clock.systemUTC();

    NotificationReplay(KafkaProperties properties, KafkaConnectionDetails connection, CustomerNotifier notifier,
            JsonMapper json, NotificationSettings settings) {
        this.properties = properties;
        this.connection = connection;
        this.notifier = notifier;
        this.json = json;
        this.settings = settings;
    }

    Summary replaySince(Instant since) {
        Instant deadline = clock.instant().plus(settings.replayTimeout());
        var counts = new HashMap<CustomerNotifier.Outcome, Long>();
        long read = 0;
        long unreadable = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig())) {
            Map<TopicPartition, Long> ends = partitionsToRead(consumer, since);
            while (!ends.isEmpty() && clock.instant().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    Long end = ends.get(new TopicPartition(record.topic(), record.partition()));
                    if (end == null || record.offset() >= end) {
                        continue; // arrived after the replay began
                    }
                    read++;
                    try {
                        counts.merge(
                                notifier.notify(NotificationSubject.of(record.topic(), record.value(), json), true), 1L,
                                Long::sum);
                    }
                    catch (NotificationSubject.UnreadableEvent e) {
                        unreadable++;
                    }
                }
                Set<TopicPartition> done = ends.entrySet()
                    .stream()
                    .filter(partition -> consumer.position(partition.getKey(), KAFKA_TIMEOUT) >= partition.getValue())
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
                consumer.pause(done);
                done.forEach(ends::remove);
            }
            return new Summary(since, read, counts.getOrDefault(CustomerNotifier.Outcome.SENT, 0L),
                    counts.getOrDefault(CustomerNotifier.Outcome.ALREADY_SENT, 0L),
                    counts.getOrDefault(CustomerNotifier.Outcome.FAILED, 0L), unreadable, ends.isEmpty());
        }
    }

    /**
     * Assigns and positions the consumer on every partition holding records from
     * {@code since} on, and answers where each one's reading stops. A topic that does not
     * exist yet holds nothing.
     */
    private Map<TopicPartition, Long> partitionsToRead(KafkaConsumer<byte[], byte[]> consumer, Instant since) {
        Map<String, List<PartitionInfo>> existing = consumer.listTopics(KAFKA_TIMEOUT);
        List<TopicPartition> partitions = NotificationSubject.TOPICS.stream()
            .filter(existing::containsKey)
            .flatMap(topic -> existing.get(topic).stream().map(info -> new TopicPartition(topic, info.partition())))
            .toList();
        // asking for offsets of unassigned partitions makes the client complain
        consumer.assign(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KAFKA_TIMEOUT);
        Map<TopicPartition, OffsetAndTimestamp> starts = consumer.offsetsForTimes(
                partitions.stream()
                    .collect(Collectors.toMap(partition -> partition, partition -> since.toEpochMilli())),
                KAFKA_TIMEOUT);
        Map<TopicPartition, Long> toRead = new HashMap<>();
        starts.forEach((partition, start) -> {
            // null: no record at or after since in this partition
            if (start != null && start.offset() < ends.get(partition)) {
                toRead.put(partition, ends.get(partition));
            }
        });
        consumer.assign(toRead.keySet());
        toRead.keySet().forEach(partition -> consumer.seek(partition, starts.get(partition).offset()));
        return toRead;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(properties.buildConsumerProperties());
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                String.join(",", connection.getConsumer().getBootstrapServers()));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "payments-notifications-replay");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a start removed by retention meanwhile: read from what is left
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return config;
    }

}
