package quartet.platform.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.http.ProblemDetail;

/**
 * Every kind of problem Quartet answers with: a stable, relative {@code type} URI
 * ({@code /problems/<code>}, a page the application serves) and a short {@code code} a
 * client can branch on. A module names a specific kind by setting the type on its
 * problem; any other problem gets the kind of its status. Codes are a published contract:
 * add new ones, never rename.
 */
public final class ProblemTypes {

    /** One kind of problem, as documented at {@code /problems}. */
    public record Kind(String code, int status, String title, String description) {

        public URI type() {
            return URI.create(PREFIX + code);
        }
    }

    static final String PREFIX = "/problems/";

    private static final List<Kind> KINDS = List.of(
            // The kinds of each status, for problems without a more specific one.
            new Kind("bad-request", 400, "Bad request",
                    "The request cannot be read as it stands (a header, parameter or path value of the wrong form). The detail says which."),
            new Kind("unauthorized", 401, "API key required",
                    "The route needs a valid API key in the X-API-Key header."),
            new Kind("forbidden", 403, "Not allowed", "The API key is valid, but its client may not do this."),
            new Kind("not-found", 404, "Not found", "There is no such resource, or it belongs to another client."),
            new Kind("method-not-allowed", 405, "Method not allowed",
                    "The route exists but does not take this HTTP method; the Allow header lists those it takes."),
            new Kind("not-acceptable", 406, "Not acceptable",
                    "The route cannot answer in any media type the Accept header allows."),
            new Kind("conflict", 409, "Conflict",
                    "The resource is not in a state that allows this; the detail says why."),
            new Kind("gone", 410, "Gone", "The resource exists but no longer serves; the detail says why."),
            new Kind("content-too-large", 413, "Body too large",
                    "The request body is above the configured limit (1 MB by default), whether sized or chunked."),
            new Kind("uri-too-long", 414, "URI too long", "The request line is longer than the server reads."),
            new Kind("unsupported-media-type", 415, "Unsupported media type",
                    "The route takes application/json bodies."),
            new Kind("unprocessable-content", 422, "Unprocessable",
                    "The request is well formed but asks for something that cannot be done; the detail says why."),
            new Kind("rate-limited", 429, "Rate limited",
                    "Too many requests for this route and client or address; Retry-After says when to try again."),
            new Kind("headers-too-large", 431, "Headers too large",
                    "The request's headers are larger than the server reads."),
            new Kind("internal-error", 500, "Internal error",
                    "An unexpected error; nothing about it is shown to the client, and it is logged."),
            new Kind("service-unavailable", 503, "Service unavailable",
                    "A backing service (PostgreSQL, Redis) is unreachable; retry after the Retry-After delay."),
            // Specific kinds.
            new Kind("invalid-field", 400, "Invalid field",
                    "One or more fields of the body or parameters have a value of the wrong type, form or range; 'errors' lists each field and its rule."),
            new Kind("malformed-body", 400, "Malformed body",
                    "The body is not JSON, or not the JSON this route takes."),
            new Kind("unstorable-text", 400, "Unstorable text",
                    "The body holds a character that cannot be stored, such as U+0000."),
            new Kind("concurrent-change", 409, "Concurrent change",
                    "Another request changed the resource at the same time; read it again and retry."),
            new Kind("idempotency-key-missing", 400, "Idempotency-Key missing",
                    "This request changes something and needs an Idempotency-Key header (gRPC: idempotency-key metadata), for example a new UUID."),
            new Kind("idempotency-key-in-flight", 409, "Idempotency-Key in flight",
                    "A request with this Idempotency-Key is still being processed; retry shortly to get its answer."),
            new Kind("idempotency-key-reused", 422, "Idempotency-Key reused",
                    "This Idempotency-Key was used with a different request; use a new key for a new request."),
            new Kind("order-has-live-payment", 409, "Order has a live payment",
                    "The order already has a payment that is not FAILED ('existingPayment' names it): it cannot be paid again or cancelled; refund the payment instead."),
            new Kind("order-not-payable", 409, "Order not payable",
                    "The order is PAID or CANCELLED and takes no new payment."),
            new Kind("reserved-event-type", 422, "Reserved event type",
                    "Quartet sends the event types under this prefix itself ('reservedPrefix' names it); post your own types under another prefix. Endpoints may still subscribe to them."),
            new Kind("destination-refused", 422, "Destination refused",
                    "Webhooks may not call this URL: it is not http(s), carries credentials, or its host is or resolves to a loopback, private, link-local, metadata or otherwise non-public address."),
            new Kind("alias-taken", 409, "Alias taken",
                    "Another link already uses this custom alias; codes are one namespace for every client."),
            new Kind("link-gone", 410, "Link gone",
                    "The short link exists but no longer redirects: it expired, reached its click limit or was disabled ('reason' says which)."));

    private static final Map<String, Kind> BY_CODE = new LinkedHashMap<>();

    private static final Map<Integer, Kind> BY_STATUS = new LinkedHashMap<>();

    static {
        for (Kind kind : KINDS) {
            BY_CODE.put(kind.code(), kind);
            BY_STATUS.putIfAbsent(kind.status(), kind);
        }
    }

    private ProblemTypes() {
    }

    public static List<Kind> all() {
        return KINDS;
    }

    public static Optional<Kind> byCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The kind a problem's type names, or else the kind of its status. */
    static Kind of(@Nullable String type, int status) {
        if (type != null && type.startsWith(PREFIX) && BY_CODE.containsKey(type.substring(PREFIX.length()))) {
            return BY_CODE.get(type.substring(PREFIX.length()));
        }
        Kind byStatus = BY_STATUS.get(status);
        if (byStatus != null) {
            return byStatus;
        }
        return status >= 500 ? BY_CODE.get("internal-error") : BY_CODE.get("bad-request");
    }

    /** Gives the problem its documented type and code, in place. */
    public static ProblemDetail classify(ProblemDetail problem) {
        Kind kind = of(problem.getType() == null ? null : problem.getType().toString(), problem.getStatus());
        problem.setType(kind.type());
        problem.setProperty("code", kind.code());
        return problem;
    }

}
