package payments;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing that happened to a payment.
 *
 * @param kind what sort of thing: request, transition, refund, event, broker,
 * dead-letter, notification, webhook-message, webhook-attempt, webhook-delivery
 * @param description one line for people
 * @param details the same facts for programs (a broker's partition and offset, an
 * attempt's status code), in the order given; null values are left out, and the whole map
 * when empty
 */
public record PaymentTimelineEntry(Instant at, String kind, String description,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> details) {

    public PaymentTimelineEntry {
        Map<String, Object> present = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((name, value) -> {
                if (value != null) {
                    present.put(name, value);
                }
            });
        }
        details = Collections.unmodifiableMap(present);
    }

    public PaymentTimelineEntry(Instant at, String kind, String description) {
        this(at, kind, description, Map.of());
    }

    /**
     * Details from alternating names and values, in that order; null values are allowed
     * and left out.
     */
    public static Map<String, Object> details(Object... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Details come in name, value pairs");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            details.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return details;
    }
}
