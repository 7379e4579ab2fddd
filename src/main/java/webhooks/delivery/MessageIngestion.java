package webhooks.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import webhooks.endpoint.EventTypes;

/**
 * Accepts a webhook message: stores it with one delivery per subscribed, enabled endpoint
 * of the message's owner in one statement; the deliveries go to the work queue once it
 * commits. A message belongs to the client that posted it (or whose payment it is about)
 * and reaches that client's endpoints only ({@code webhooks.subscribers}, V12). A key
 * that was used before returns the first message if the request is the same and nothing
 * if it is not; the UNIQUE constraints decide, so concurrent repeats are safe.
 */
@Service
class MessageIngestion {

    /**
     * The first key of the two-key advisory locks taken on idempotency keys (its own lock
     * space).
     */
    static final int KEY_LOCKS = 0x5748_4b31;

    private final JdbcClient jdbc;

    private final TransactionTemplate transaction;

    private final DeliveryRepublisher dispatch;

    private final AttemptTracing tracing;

    MessageIngestion(JdbcClient jdbc, TransactionTemplate transaction, DeliveryRepublisher dispatch,
            AttemptTracing tracing) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.dispatch = dispatch;
        this.tracing = tracing;
    }

    /**
     * The outcome of accepting a message.
     *
     * @param replayed true when the idempotency key had been used before and nothing new
     * was stored
     */
    record Accepted(UUID messageId, List<AcceptedDelivery> deliveries, boolean replayed) implements Posted {
    }

    /** One delivery fanned out from a message. */
    record AcceptedDelivery(UUID id, UUID endpointId) {
    }

    /** What posting a message under a key came to. */
    sealed interface Posted permits Accepted, KeyReused, KeyInFlight {

    }

    /** The key was first used with another event type or payload: nothing was stored. */
    record KeyReused() implements Posted {
    }

    /**
     * Another request with this key is being stored right now: nothing was stored, retry
     * to get its answer.
     */
    record KeyInFlight() implements Posted {
    }

    /**
     * A message posted through the API. Without a key it is one statement in autocommit:
     * no transaction round trips on the hottest ingestion path.
     * @param key null for a message without any key: it is always stored
     */
    Posted acceptPosted(String owner, String eventType, String payloadJson, @Nullable PostedKey key) {
        if (key == null) {
            return store(new NewMessage(owner, eventType, payloadJson, null, null, null, null)).orElseThrow();
        }
        return Objects.requireNonNull(transaction.execute(status -> acceptKeyed(owner, eventType, payloadJson, key)));
    }

    private Posted acceptKeyed(String owner, String eventType, String payloadJson, PostedKey key) {
        // Held until commit: a concurrent repeat is told it is in flight instead of
        // queueing on the UNIQUE index.
        if (!Boolean.TRUE.equals(jdbc.sql("SELECT pg_try_advisory_xact_lock(:namespace, hashtext(:lock))")
            .param("namespace", KEY_LOCKS)
            .param("lock", key.lockName(owner, eventType))
            .query(Boolean.class)
            .single())) {
            return new KeyInFlight();
        }
        String fingerprint = fingerprint(eventType, payloadJson);
        Optional<Accepted> stored = store(
                key.perClient() ? new NewMessage(owner, eventType, payloadJson, null, key.value(), fingerprint, null)
                        : new NewMessage(owner, eventType, payloadJson, key.value(), null, fingerprint, null));
        if (stored.isPresent()) {
            return stored.get();
        }
        FirstUse first = (key.perClient()
                ? jdbc.sql("SELECT id, request_fingerprint FROM webhooks.messages WHERE owner = ? AND request_key = ?")
                    .params(owner, key.value())
                : jdbc.sql(
                        "SELECT id, request_fingerprint FROM webhooks.messages WHERE owner = ? AND event_type = ? AND idempotency_key = ?")
                    .params(owner, eventType, key.value()))
            .query((rs, row) -> new FirstUse(rs.getObject(1, UUID.class), rs.getString(2)))
            .single();
        // Rows Quartet stored itself or from before fingerprints have none: they replay
        // as they always did.
        if (first.fingerprint() != null && !first.fingerprint().equals(fingerprint)) {
            return new KeyReused();
        }
        return new Accepted(first.messageId(), deliveriesOf(first.messageId()), true);
    }

    /**
     * A message Quartet fans out itself (payment events): the key names the business
     * event, so a repeat returns the first message whatever its payload.
     * @param owner the client the message belongs to, whose endpoints it reaches
     * @param payloadJson the payload as compact JSON text, exactly as it will be sent
     * @param subjectId the payment the message is about, for the payment's timeline; null
     * if none
     */
    Accepted accept(String owner, String eventType, String payloadJson, String idempotencyKey,
            @Nullable UUID subjectId) {
        return store(new NewMessage(owner, eventType, payloadJson, idempotencyKey, null, null, subjectId))
            .orElseGet(() -> {
                UUID original = jdbc
                    .sql("SELECT id FROM webhooks.messages WHERE owner = ? AND event_type = ? AND idempotency_key = ?")
                    .params(owner, eventType, idempotencyKey)
                    .query(UUID.class)
                    .single();
                return new Accepted(original, deliveriesOf(original), true);
            });
    }

    private record FirstUse(UUID messageId, @Nullable String fingerprint) {
    }

    /** A message to store, with the keys it may carry (null when it has none). */
    private record NewMessage(String owner, String eventType, String payloadJson, @Nullable String idempotencyKey,
            @Nullable String requestKey, @Nullable String fingerprint, @Nullable UUID subjectId) {
    }

    private record StoredRow(UUID messageId, @Nullable UUID deliveryId, @Nullable UUID endpointId) {
    }

    /**
     * Stores the message and one unqueued delivery per subscriber in one statement, and
     * wakes the re-publisher once that commits. Empty when a key of the message was taken
     * before: the UNIQUE constraints decide, not a check first.
     */
    private Optional<Accepted> store(NewMessage message) {
        // Every attempt of each delivery joins this trace.
        @Nullable String traceparent = tracing.currentTraceparent();
        List<StoredRow> rows = jdbc
            .sql("""
                    WITH message AS (
                        INSERT INTO webhooks.messages (id, owner, event_type, payload, idempotency_key, request_key, request_fingerprint,
                            subject_id, created_at)
                        VALUES (:id, :owner, :type, :payload, :key, :requestKey, :fingerprint, :subject, now())
                        ON CONFLICT DO NOTHING
                        RETURNING id
                    ), fanned_out AS (
                        INSERT INTO webhooks.deliveries (id, owner, message_id, endpoint_id, status, next_attempt_at, enqueued_attempt,
                            enqueued_at, trace_parent, created_at, updated_at)
                        SELECT gen_random_uuid(), :owner, message.id, subscriber, 'PENDING', now(), 0, now(), :traceparent, now(), now()
                        FROM message, webhooks.subscribers(:owner, CAST(:filters AS TEXT[])) AS subscriber
                        RETURNING id, endpoint_id
                    )
                    SELECT message.id AS message_id, fanned_out.id AS delivery_id, fanned_out.endpoint_id
                    FROM message LEFT JOIN fanned_out ON true
                    ORDER BY fanned_out.endpoint_id
                    """)
            .param("id", UUID.randomUUID())
            .param("owner", message.owner())
            .param("type", message.eventType())
            .param("payload", message.payloadJson())
            .param("key", message.idempotencyKey())
            .param("requestKey", message.requestKey())
            .param("fingerprint", message.fingerprint())
            .param("subject", message.subjectId())
            .param("filters", EventTypes.filtersTaking(message.eventType()).toArray(String[]::new))
            .param("traceparent", traceparent)
            .query((rs, row) -> new StoredRow(rs.getObject("message_id", UUID.class),
                    rs.getObject("delivery_id", UUID.class), rs.getObject("endpoint_id", UUID.class)))
            .list();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        List<AcceptedDelivery> deliveries = rows.stream()
            .filter(row -> row.deliveryId() != null)
            .map(row -> new AcceptedDelivery(Objects.requireNonNull(row.deliveryId()),
                    Objects.requireNonNull(row.endpointId())))
            .toList();
        if (!deliveries.isEmpty()) {
            // Stored as queued (enqueued_attempt 0): the broker gets the jobs after
            // commit; lost ones go again later.
            dispatch.publishAfterCommit(deliveries, traceparent);
        }
        return Optional.of(new Accepted(rows.get(0).messageId(), deliveries, false));
    }

    /**
     * The request a key stands for: the event type and the payload exactly as it will be
     * sent.
     */
    static String fingerprint(String eventType, String payloadJson) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(eventType.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return HexFormat.of().formatHex(sha256.digest(payloadJson.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<AcceptedDelivery> deliveriesOf(UUID messageId) {
        return jdbc.sql("SELECT id, endpoint_id FROM webhooks.deliveries WHERE message_id = ? ORDER BY endpoint_id")
            .param(messageId)
            .query((rs, row) -> new AcceptedDelivery(rs.getObject("id", UUID.class),
                    rs.getObject("endpoint_id", UUID.class)))
            .list();
    }

}
