package webhooks.delivery;

/**
 * The idempotency key of a posted message. The {@code Idempotency-Key} header is the
 * client's own namespace, as on the payments API; the older {@code idempotencyKey} body
 * field is one per client and event type.
 *
 * @param perClient true for the header, false for the body field
 */
record PostedKey(String value, boolean perClient) {

    /**
     * What the header and the body field may hold: 1 to 255 visible ASCII characters (a
     * UUID is usual).
     */
    private static final String FORM = "[\\x21-\\x7E]{1,255}";

    PostedKey {
        if (!value.matches(FORM)) {
            throw new IllegalArgumentException(
                    "An idempotency key must be 1 to 255 visible ASCII characters (a UUID, say)");
        }
    }

    /**
     * The header is a structured-field string in the IETF draft: surrounding quotes are
     * accepted and removed.
     */
    static PostedKey fromHeader(String header) {
        String value = header.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return new PostedKey(value, true);
    }

    static PostedKey fromBody(String field) {
        return new PostedKey(field, false);
    }

    /**
     * Names the advisory lock of this key: what its UNIQUE constraint is over, joined by
     * spaces (which no key and no event type holds).
     */
    String lockName(String owner, String eventType) {
        return perClient ? "header " + owner + " " + value : "body " + owner + " " + eventType + " " + value;
    }
}
