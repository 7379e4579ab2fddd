package webhooks.endpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Event type names and the filters endpoints subscribe with: an exact type such as
 * {@code payment.succeeded}, a wildcard over a prefix such as {@code payment.*}, or
 * {@code *}.
 */
public final class EventTypes {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private static final Pattern FILTER = Pattern.compile("\\*|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(\\.\\*)?");

    /**
     * The namespaces of the events Quartet publishes itself: FlowPay's, which it fans out
     * as webhooks (payment, order, refund), the other modules' broker topics (webhooks,
     * link) and the platform's own. Endpoints may subscribe to them, but no client may
     * post a message in them, so a receiver can trust that a payment.succeeded comes from
     * Quartet.
     */
    private static final List<String> RESERVED_NAMESPACES = List.of("payment", "order", "refund", "webhooks", "link",
            "quartet");

    private EventTypes() {
    }

    public static boolean isValidType(String type) {
        return type != null && type.length() <= 200 && TYPE.matcher(type).matches();
    }

    /**
     * The reserved prefix a type falls under, such as {@code payment.}, in any letter
     * case (a receiver may not tell Payment.succeeded from payment.succeeded); empty for
     * a client's own type.
     */
    public static Optional<String> reservedPrefix(String type) {
        String lower = type.toLowerCase(Locale.ROOT);
        return RESERVED_NAMESPACES.stream()
            .filter(namespace -> lower.equals(namespace) || lower.startsWith(namespace + "."))
            .map(namespace -> namespace + ".")
            .findFirst();
    }

    static boolean isValidFilter(String filter) {
        return filter != null && filter.length() <= 200 && FILTER.matcher(filter).matches();
    }

    /**
     * Every filter that takes the event type: {@code *}, the type itself, and
     * {@code <prefix>.*} for each proper prefix of its segments. A type of n segments has
     * n + 1 of them, so finding an event's subscribers is a lookup of these, whatever the
     * number of endpoints.
     */
    public static List<String> filtersTaking(String type) {
        List<String> filters = new ArrayList<>();
        filters.add("*");
        filters.add(type);
        for (int dot = type.indexOf('.'); dot >= 0; dot = type.indexOf('.', dot + 1)) {
            filters.add(type.substring(0, dot) + ".*");
        }
        return filters;
    }

    /** Whether any of the filters takes the event type. */
    static boolean matches(Collection<String> filters, String type) {
        return filters.stream().anyMatch(filter -> matches(filter, type));
    }

    static boolean matches(String filter, String type) {
        if (filter.equals("*")) {
            return true;
        }
        if (filter.endsWith(".*")) {
            return type.startsWith(filter.substring(0, filter.length() - 1));
        }
        return filter.equals(type);
    }

}
