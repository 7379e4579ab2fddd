package payments.idempotency;

/**
 * A client's Idempotency-Key header value: 1 to 255 visible ASCII characters (a UUID is
 * the usual choice). The header is a structured-field string in the IETF draft;
 * surrounding quotes are accepted and removed.
 */
public record IdempotencyKey(String value) {

    public IdempotencyKey {
        if (value == null || !value.matches("[\\x21-\\x7E]{1,255}")) {
            throw new IllegalArgumentException("The Idempotency-Key header must be 1 to 255 visible ASCII characters");
        }
    }

    public static IdempotencyKey parse(String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("This request needs an Idempotency-Key header (for example a new UUID)");
        }
        String value = header.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return new IdempotencyKey(value);
    }
}
