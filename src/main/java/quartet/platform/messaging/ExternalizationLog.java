package quartet.platform.messaging;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.core.EventSerializer;
import org.springframework.util.ReflectionUtils;

/**
 * Records where each externalized event went once its broker confirmed it
 * ({@code public.event_externalization}), so a timeline can follow an event past the
 * outbox. The row names the event's subjects (its UUID components) and the registry
 * publication the send completes, found as Modulith itself finds it: by the serialized
 * event and the listener id.
 */
class ExternalizationLog {

    private static final Logger log = LoggerFactory.getLogger(ExternalizationLog.class);

    /** Where one send went; partition and offset for Kafka only. */
    record Send(Broker broker, String destination, String key, @Nullable Integer partition, @Nullable Long offset) {
    }

    private final JdbcClient jdbc;

    private final EventSerializer serializer;

    ExternalizationLog(JdbcClient jdbc, EventSerializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    /**
     * Called after the broker confirmed and before the publication is completed. A
     * failure here is logged, not thrown: the broker already has the message, and failing
     * the publication would only send it again.
     */
    void confirmed(Object event, Send send) {
        try {
            jdbc.sql(
                    """
                            INSERT INTO event_externalization (publication_id, event_type, subject_ids, broker, destination, routing_key,
                                kafka_partition, kafka_offset, confirmed_at)
                            VALUES ((SELECT id FROM event_publication WHERE serialized_event = :event AND listener_id = :listener
                                        AND completion_date IS NULL ORDER BY publication_date DESC LIMIT 1),
                                    :type, CAST(:subjects AS uuid[]), :broker, :destination, :key, :partition, :offset, now())
                            """)
                .param("event", serializer.serialize(event).toString())
                .param("listener", BrokerExternalizer.LISTENER_ID)
                .param("type", event.getClass().getName())
                .param("subjects",
                        subjectIds(event).stream().map(UUID::toString).collect(Collectors.joining(",", "{", "}")))
                .param("broker", send.broker().name())
                .param("destination", send.destination())
                .param("key", send.key())
                .param("partition", send.partition())
                .param("offset", send.offset())
                .update();
        }
        catch (DataAccessException | IllegalStateException e) {
            log.warn("Sent {} to {} {} but could not record where: {}", event.getClass().getSimpleName(), send.broker(),
                    send.destination(), e.getMessage());
        }
    }

    /**
     * The event's identities: every UUID component of a record event (none for other
     * events).
     */
    static List<UUID> subjectIds(Object event) {
        List<UUID> ids = new ArrayList<>();
        RecordComponent[] components = event.getClass().getRecordComponents();
        if (components == null) {
            return ids;
        }
        for (RecordComponent component : components) {
            if (component.getType() == UUID.class) {
                ReflectionUtils.makeAccessible(component.getAccessor());
                Object value = ReflectionUtils.invokeMethod(component.getAccessor(), event);
                if (value != null) {
                    ids.add((UUID) value);
                }
            }
        }
        return ids;
    }

}
