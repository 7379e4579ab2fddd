package webhooks.endpoint;

import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Event type names and the filters endpoints subscribe with: an exact type such as
 * {@code payment.succeeded}, a wildcard over a prefix such as {@code payment.*}, or {@code *}.
 */
public final class EventTypes {

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern FILTER = Pattern.compile("\\*|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(\\.\\*)?");

    private EventTypes() {
    }

    public static boolean isValidType(String type) {
        return type != null && type.length() <= 200 && TYPE.matcher(type).matches();
    }

    static boolean isValidFilter(String filter) {
        return filter != null && filter.length() <= 200 && FILTER.matcher(filter).matches();
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
