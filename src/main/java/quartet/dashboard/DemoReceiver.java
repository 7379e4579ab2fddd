package quartet.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The merchant side of the demo: verifies each webhook request against the secret of the demo
 * endpoint, answers as told (fail the next N, or gone for good) and remembers the last requests
 * in memory for the dashboard.
 */
@Component
@ConditionalOnBooleanProperty(name = DemoModeEnvironment.ENABLED, matchIfMissing = true)
class DemoReceiver {

    static final int KEPT = 200;

    /** One request the receiver answered. */
    record Received(String webhookId, String eventType, Instant receivedAt, boolean signatureValid, int answeredStatus) {
    }

    /** How the receiver answers: 500 to the next failNext requests, or 410 to all while gone. */
    record Behaviour(int failNext, boolean gone) {
    }

    private final Deque<Received> received = new ArrayDeque<>();
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private volatile String secret;
    private int failNext;
    private boolean gone;

    DemoReceiver(ApplicationEventPublisher events, JsonMapper json) {
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
    int receive(String id, String timestamp, String signatures, byte[] body) {
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
            Received entry = new Received(id, eventType(body), now, valid, status);
            received.addFirst(entry);
            while (received.size() > KEPT) {
                received.removeLast();
            }
        }
        events.publishEvent(new DemoWebhookReceived(id, eventType(body), valid, status));
        return status;
    }

    synchronized List<Received> received() {
        return new ArrayList<>(received);
    }

    synchronized Behaviour behaviour() {
        return new Behaviour(failNext, gone);
    }

    /** Changes what is given; a null leaves that part as it is. */
    synchronized Behaviour change(Integer failNext, Boolean gone) {
        if (failNext != null) {
            this.failNext = Math.max(0, failNext);
        }
        if (gone != null) {
            this.gone = gone;
        }
        return behaviour();
    }

    private String eventType(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node.path("type").isString() ? node.path("type").asString() : null;
        }
        catch (RuntimeException e) {
            return null;
        }
    }
}
