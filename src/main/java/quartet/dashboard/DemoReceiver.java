package quartet.dashboard;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The merchant side of the demo: verifies each webhook request against the secret of the
 * demo endpoint, answers as told (fail the next N, or gone for good) and records the last
 * requests in PostgreSQL, so the dashboard still lists them after a restart. How it
 * answers is kept in memory: a restarted demo receiver accepts again.
 */
@Component
@ConditionalOnBooleanProperty(name = DemoModeEnvironment.ENABLED, matchIfMissing = true)
class DemoReceiver {

    static final int KEPT = 200;

    /** Longer ids or event types are cut: anyone may POST here in demo mode. */
    private static final int LONGEST_TEXT = 200;

    /** One request the receiver answered. */
    record Received(@Nullable String webhookId, @Nullable String eventType, Instant receivedAt, boolean signatureValid,
            int answeredStatus) {
    }

    /**
     * How the receiver answers: 500 to the next failNext requests, or 410 to all while
     * gone.
     */
    record Behaviour(int failNext, boolean gone) {
    }

    private final JdbcClient jdbc;

    private final ApplicationEventPublisher events;

    private final JsonMapper json;

    private final Clock clock;

    private volatile @Nullable String secret;

    private int failNext;

    private boolean gone;

    DemoReceiver(JdbcClient jdbc, ApplicationEventPublisher events, JsonMapper json) {
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    void useSecret(String secret) {
        this.secret = secret;
    }

    boolean knowsSecret() {
        return secret != null;
    }

    /** Verifies, decides the answer, records it; returns the status to answer with. */
    int receive(@Nullable String id, @Nullable String timestamp, @Nullable String signatures, byte[] body) {
        Instant now = clock.instant();
        boolean valid = WebhookSignatures.verify(secret, id, timestamp, signatures, body, now);
        int status;
        synchronized (this) {
            if (!valid) {
                status = HttpStatus.UNAUTHORIZED.value();
            }
            else if (gone) {
                status = HttpStatus.GONE.value();
            }
            else if (failNext > 0) {
                failNext--;
                status = HttpStatus.INTERNAL_SERVER_ERROR.value();
            }
            else {
                status = HttpStatus.NO_CONTENT.value();
            }
        }
        String eventType = eventType(body);
        record(new Received(printable(id), printable(eventType), now, valid, status));
        events.publishEvent(new DemoWebhookReceived(id, eventType, valid, status));
        return status;
    }

    /**
     * Adds the entry and drops what falls out of the last KEPT, in one statement: never
     * more rows are seen.
     */
    private void record(Received entry) {
        jdbc.sql(
                """
                        WITH added AS (
                            INSERT INTO demo_webhook_requests (webhook_id, event_type, received_at, signature_valid, answered_status)
                            VALUES (?, ?, ?, ?, ?) RETURNING id)
                        DELETE FROM demo_webhook_requests WHERE id <= (SELECT id FROM added) - ?""")
            .params(entry.webhookId(), entry.eventType(), Timestamp.from(entry.receivedAt()), entry.signatureValid(),
                    entry.answeredStatus(), KEPT)
            .update();
    }

    /** The last requests, newest first. */
    List<Received> received() {
        return jdbc.sql("""
                SELECT webhook_id, event_type, received_at, signature_valid, answered_status
                FROM demo_webhook_requests ORDER BY id DESC LIMIT ?""")
            .param(KEPT)
            .query((row, n) -> new Received(row.getString("webhook_id"), row.getString("event_type"),
                    row.getTimestamp("received_at").toInstant(), row.getBoolean("signature_valid"),
                    row.getInt("answered_status")))
            .list();
    }

    synchronized Behaviour behaviour() {
        return new Behaviour(failNext, gone);
    }

    /** Changes what is given; a null leaves that part as it is. */
    synchronized Behaviour change(@Nullable Integer failNext, @Nullable Boolean gone) {
        if (failNext != null) {
            this.failNext = Math.max(0, failNext);
        }
        if (gone != null) {
            this.gone = gone;
        }
        return behaviour();
    }

    /**
     * PostgreSQL's text cannot hold NUL, and a visitor's junk need not fill the table.
     */
    private static @Nullable String printable(@Nullable String text) {
        if (text == null) {
            return null;
        }
        String cleaned = text.replace((char) 0, '\uFFFD');
        return cleaned.length() > LONGEST_TEXT ? cleaned.substring(0, LONGEST_TEXT) : cleaned;
    }

    private @Nullable String eventType(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node.path("type").isString() ? node.path("type").asString() : null;
        }
        catch (RuntimeException e) {
            return null;
        }
    }

}
