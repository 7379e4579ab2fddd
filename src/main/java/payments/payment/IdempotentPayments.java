package payments.payment;

import java.time.Clock;
import java.util.HexFormat;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.server.ResponseStatusException;
import payments.idempotency.IdempotencyKey;
import payments.idempotency.IdempotencyKeys;
import tools.jackson.databind.json.JsonMapper;

/**
 * Idempotent payment creation, after the IETF Idempotency-Key draft and Stripe's behaviour:
 * the first request with a key executes; a repeat with the same body replays the stored response
 * byte for byte (plus {@code Idempotent-Replayed: true}); a repeat with another body is 422; a
 * repeat while the first still runs is 409. The payment and its stored response commit in one
 * transaction, so a replay never describes work that did not happen.
 */
@Service
class IdempotentPayments {

    static final String REPLAYED = "Idempotent-Replayed";

    private final IdempotencyKeys keys;
    private final PaymentCreation creation;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final payments.config.PaymentsSettings settings;
    private final Clock clock = Clock.systemUTC();

    IdempotentPayments(IdempotencyKeys keys, PaymentCreation creation, TransactionTemplate transaction, JsonMapper json,
            payments.config.PaymentsSettings settings) {
        this.keys = keys;
        this.creation = creation;
        this.transaction = transaction;
        this.json = json;
        this.settings = settings;
    }

    ResponseEntity<String> create(String client, IdempotencyKey key, PaymentRequest request, String instance) {
        String fingerprint = fingerprint(request);
        IdempotencyKeys.Claim claim = keys.claim(client, key.value(), fingerprint, clock.instant(), settings.idempotencyKeyRetention());
        if (claim instanceof IdempotencyKeys.Mismatch) {
            throw new ResponseStatusException(HttpStatus.UNPROCESSABLE_CONTENT, "This Idempotency-Key was already used with a different request");
        }
        if (claim instanceof IdempotencyKeys.InFlight) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "A request with this Idempotency-Key is still being processed; retry shortly");
        }
        if (claim instanceof IdempotencyKeys.Replay replay) {
            return respond(replay.status(), replay.body(), true);
        }
        return execute(client, key, request, instance);
    }

    private ResponseEntity<String> execute(String client, IdempotencyKey key, PaymentRequest request, String instance) {
        try {
            return transaction.execute(status -> {
                PaymentCreation.Outcome outcome = creation.execute(request, instance);
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

    private static ResponseEntity<String> respond(int status, String body, boolean replayed) {
        MediaType type = status >= 400 ? MediaType.APPLICATION_PROBLEM_JSON : MediaType.APPLICATION_JSON;
        var response = ResponseEntity.status(status).contentType(type);
        if (replayed) {
            response.header(REPLAYED, "true");
        }
        return response.body(body);
    }

    private static String fingerprint(PaymentRequest request) {
        try {
            var digest = java.security.MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(request.canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
