package webhooks.delivery;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import webhooks.endpoint.Endpoints;

/**
 * Accepts a webhook message: stores it with one delivery per subscribed, enabled endpoint of
 * the message's owner and requests each delivery, all in one transaction. A message belongs to
 * the client that posted it (or whose payment it is about) and reaches that client's endpoints
 * only. A repeated idempotency key (per owner and event type) returns the first message; the
 * UNIQUE constraint decides, so concurrent repeats are safe.
 */
@Service
class MessageIngestion {

    private final JdbcClient jdbc;
    private final Endpoints endpoints;
    private final ApplicationEventPublisher events;

    MessageIngestion(JdbcClient jdbc, Endpoints endpoints, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.endpoints = endpoints;
        this.events = events;
    }

    /**
     * The outcome of accepting a message.
     *
     * @param replayed true when the idempotency key had been used before and nothing new was stored
     */
    record Accepted(UUID messageId, List<AcceptedDelivery> deliveries, boolean replayed) {
    }

    /** One delivery fanned out from a message. */
    record AcceptedDelivery(UUID id, UUID endpointId) {
    }

    /**
     * @param owner the client the message belongs to, whose endpoints it reaches
     * @param payloadJson the payload as compact JSON text, exactly as it will be sent
     */
    @Transactional
    Accepted accept(String owner, String eventType, String payloadJson, String idempotencyKey) {
        return accept(owner, eventType, payloadJson, idempotencyKey, null);
    }

    /**
     * @param owner the client the message belongs to, whose endpoints it reaches
     * @param payloadJson the payload as compact JSON text, exactly as it will be sent
     * @param subjectId the payment the message is about, for the payment's timeline; null if none
     */
    @Transactional
    Accepted accept(String owner, String eventType, String payloadJson, String idempotencyKey, UUID subjectId) {
        Optional<UUID> stored = jdbc.sql("""
                INSERT INTO webhooks.messages (id, owner, event_type, payload, idempotency_key, subject_id, created_at)
                VALUES (:id, :owner, :type, :payload, :key, :subject, now())
                ON CONFLICT ON CONSTRAINT messages_idempotency_key DO NOTHING
                RETURNING id
                """)
            .param("id", UUID.randomUUID()).param("owner", owner).param("type", eventType).param("payload", payloadJson).param("key", idempotencyKey)
            .param("subject", subjectId)
            .query(UUID.class).optional();
        if (stored.isEmpty()) {
            UUID original = jdbc.sql("SELECT id FROM webhooks.messages WHERE owner = ? AND event_type = ? AND idempotency_key = ?")
                .params(owner, eventType, idempotencyKey).query(UUID.class).single();
            return new Accepted(original, deliveriesOf(original), true);
        }
        UUID messageId = stored.get();
        for (UUID endpoint : endpoints.subscribersOf(owner, eventType)) {
            UUID delivery = UUID.randomUUID();
            jdbc.sql("""
                    INSERT INTO webhooks.deliveries (id, owner, message_id, endpoint_id, status, next_attempt_at, enqueued_at,
                        created_at, updated_at)
                    VALUES (:id, :owner, :message, :endpoint, 'PENDING', now(), now(), now(), now())
                    """)
                .param("id", delivery).param("owner", owner).param("message", messageId).param("endpoint", endpoint).update();
            events.publishEvent(new DeliveryRequested(delivery));
        }
        return new Accepted(messageId, deliveriesOf(messageId), false);
    }

    private List<AcceptedDelivery> deliveriesOf(UUID messageId) {
        return jdbc.sql("SELECT id, endpoint_id FROM webhooks.deliveries WHERE message_id = ? ORDER BY endpoint_id")
            .param(messageId)
            .query((rs, row) -> new AcceptedDelivery(rs.getObject("id", UUID.class), rs.getObject("endpoint_id", UUID.class)))
            .list();
    }
}
