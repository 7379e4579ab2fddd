package payments.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.function.Supplier;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;
import payments.config.PaymentsSettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a request under an Idempotency-Key, after the IETF Idempotency-Key draft and
 * Stripe's behaviour: the first request with a key executes; a repeat with the same
 * request replays the stored response byte for byte (plus
 * {@code Idempotent-Replayed: true}); a repeat with another request is 422; a repeat
 * while the first still runs is 409. The work and its stored response commit in one
 * transaction, so a replay never describes work that did not happen.
 */
@Service
public class IdempotentExecution {

    public static final String REPLAYED = "Idempotent-Replayed";

    /** A response as it will be sent and replayed: status and body. */
    public record Outcome(int status, Object body) {
    }

    private final IdempotencyKeys keys;

    private final TransactionTemplate transaction;

    private final JsonMapper json;

    private final PaymentsSettings settings;

    private final Clock clock = Clock.systemUTC();

    IdempotentExecution(IdempotencyKeys keys, TransactionTemplate transaction, JsonMapper json,
            PaymentsSettings settings) {
        this.keys = keys;
        this.transaction = transaction;
        this.json = json;
        this.settings = settings;
    }

    /**
     * @param request the request in canonical form (method, path and body fields): equal
     * requests must give equal text, whatever their JSON looked like
     */
    public ResponseEntity<String> run(String client, IdempotencyKey key, String request, Supplier<Outcome> work) {
        IdempotencyKeys.Claim claim = keys.claim(client, key.value(), fingerprint(request), clock.instant(),
                settings.idempotencyKeyRetention());
        if (claim instanceof IdempotencyKeys.Mismatch) {
            throw refusal(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                    "This Idempotency-Key was already used with a different request");
        }
        if (claim instanceof IdempotencyKeys.InFlight) {
            throw refusal(HttpStatus.CONFLICT, "idempotency-key-in-flight",
                    "A request with this Idempotency-Key is still being processed; retry shortly");
        }
        if (claim instanceof IdempotencyKeys.Replay replay) {
            return respond(replay.status(), replay.body(), true);
        }
        try {
            return transaction.execute(status -> {
                Outcome outcome = work.get();
                String body = json.writeValueAsString(outcome.body());
                keys.complete(client, key.value(), outcome.status(), body);
                return respond(outcome.status(), body, false);
            });
        }
        catch (RuntimeException e) {
            // Nothing was stored: let a retry with the same key execute.
            keys.release(client, key.value());
            throw e;
        }
    }

    /**
     * An answer that is not stored under any key, such as one for a request that lost a
     * race and rolled back.
     */
    public ResponseEntity<String> answer(Outcome outcome) {
        return respond(outcome.status(), json.writeValueAsString(outcome.body()), false);
    }

    private static ResponseEntity<String> respond(int status, String body, boolean replayed) {
        MediaType type = status >= 400 ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON;
        var response = ResponseEntity.status(status).contentType(type);
        if (replayed) {
            response.header(REPLAYED, "true");
        }
        return response.body(body);
    }

    /** A refusal with its documented problem type ({@code /problems} lists them). */
    private static ResponseStatusException refusal(HttpStatus status, String code, String detail) {
        ResponseStatusException refusal = new ResponseStatusException(status, detail);
        refusal.setType(java.net.URI.create("/problems/" + code));
        return refusal;
    }

    private static String fingerprint(String request) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(request.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Outcome problem(HttpStatus status, String detail, String instance) {
        return problem(status, detail, instance, java.util.Map.of());
    }

    /**
     * A problem+json answer with extension members (such as the id of a conflicting
     * resource).
     */
    public static Outcome problem(HttpStatus status, String detail, String instance,
            java.util.Map<String, Object> extensions) {
        return problem(status, null, detail, instance, extensions);
    }

    /**
     * A problem+json answer of a documented kind ({@code /problems/<code>}); without a
     * code it is the general kind of its status.
     */
    public static Outcome problem(HttpStatus status, String code, String detail, String instance,
            java.util.Map<String, Object> extensions) {
        var body = new java.util.LinkedHashMap<String, Object>();
        body.put("type", code == null ? "about:blank" : "/problems/" + code);
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        body.put("instance", instance);
        body.putAll(extensions);
        return new Outcome(status.value(), body);
    }

}
