package webhooks.delivery;

import java.nio.charset.StandardCharsets;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import webhooks.WebhooksSettings;
import webhooks.endpoint.EventTypes;

/**
 * Takes webhook messages in and answers 202 at once; deliveries happen on the workers. A
 * message belongs to the client that posted it and reaches that client's endpoints only:
 * an admin's message reaches the admin's own endpoints, not everyone's. The types Quartet
 * sends itself (payment.*, order.*, refund.* and the other reserved prefixes) cannot be
 * posted.
 */
@RestController
class MessageController {

    private final MessageIngestion ingestion;

    private final JsonMapper json;

    private final long maxPayloadBytes;

    MessageController(MessageIngestion ingestion, JsonMapper json, WebhooksSettings settings) {
        this.ingestion = ingestion;
        this.json = json;
        this.maxPayloadBytes = settings.maxPayloadSize().toBytes();
    }

    /**
     * A message to fan out.
     *
     * @param payload any JSON value; sent to endpoints as the data of the webhook body
     * @param idempotencyKey optional and superseded by the Idempotency-Key header; a key
     * per client and event type
     */
    record NewMessage(@NotBlank String eventType, JsonNode payload,
            @Size(max = 255) @Pattern(regexp = "[\\x21-\\x7e]+") @Nullable String idempotencyKey) {
    }

    /**
     * With an {@code Idempotency-Key} header, a repeat of the same request by the same
     * client answers with the first message and {@code Idempotent-Replayed: true}; the
     * same key with another event type or payload is 422, and while the first request is
     * being stored, 409.
     */
    @PostMapping("/api/webhooks/messages")
    ResponseEntity<MessageIngestion.Accepted> accept(@Valid @RequestBody NewMessage message,
            @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String keyHeader,
            Authentication client) {
        if (!EventTypes.isValidType(message.eventType())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "Not an event type: " + message.eventType()
                    + " (use dot-separated names such as invoice.created).");
        }
        EventTypes.reservedPrefix(message.eventType()).ifPresent(prefix -> {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                    "The event type " + message.eventType() + " is reserved: Quartet sends the types under " + prefix
                            + "* itself. Post your own"
                            + " types under another prefix; endpoints may still subscribe to " + prefix + "*.");
            problem.setTitle("Reserved event type");
            problem.setType(java.net.URI.create("/problems/reserved-event-type"));
            problem.setProperty("reservedPrefix", prefix);
            throw new ErrorResponseException(HttpStatus.UNPROCESSABLE_CONTENT, problem, null);
        });
        if (message.payload() == null || message.payload().isNull() || message.payload().isMissingNode()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "The message needs a JSON payload.");
        }
        String payload = json.writeValueAsString(message.payload());
        if (payload.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
            throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
                    "The payload exceeds the limit of " + maxPayloadBytes + " bytes.");
        }
        MessageIngestion.Posted posted = ingestion.acceptPosted(client.getName(), message.eventType(), payload,
                keyOf(message, keyHeader));
        if (posted instanceof MessageIngestion.KeyReused) {
            throw refusal(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused",
                    "This idempotency key was already used with another event type or payload; use a new key for a new message.");
        }
        if (posted instanceof MessageIngestion.KeyInFlight) {
            throw refusal(HttpStatus.CONFLICT, "idempotency-key-in-flight",
                    "A message with this idempotency key is being stored right now; retry shortly to get its answer.");
        }
        MessageIngestion.Accepted accepted = (MessageIngestion.Accepted) posted;
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted();
        if (accepted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(accepted);
    }

    private static @Nullable PostedKey keyOf(NewMessage message, @Nullable String header) {
        if (header != null && message.idempotencyKey() != null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
                    "Send the idempotency key once: in the Idempotency-Key header, not also in the body.");
        }
        try {
            return header != null ? PostedKey.fromHeader(header)
                    : message.idempotencyKey() != null ? PostedKey.fromBody(message.idempotencyKey()) : null;
        }
        catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
    }

    /** A refusal of a documented kind ({@code /problems} lists them). */
    private static ErrorResponseException refusal(HttpStatus status, String code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(java.net.URI.create("/problems/" + code));
        return new ErrorResponseException(status, problem, null);
    }

}
