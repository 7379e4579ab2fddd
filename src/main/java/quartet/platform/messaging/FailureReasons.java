package quartet.platform.messaging;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a listener's exception into the reason shown by the API, the dashboard and the
 * log: the exception's simple name and message, with anything shaped like a credential
 * masked and the whole capped in length (a message can quote a whole payload).
 */
final class FailureReasons {

    static final int MAX_LENGTH = 500;

    // Webhook signing secrets, bearer tokens, and the value after a credential-like name.
    private static final Pattern SECRETS = Pattern.compile("(?i)(whsec_)[A-Za-z0-9+/=_-]+"
            + "|(bearer\\s+)[A-Za-z0-9._~+/=-]+"
            + "|((?:api[-_ ]?key|password|passwd|secret|token|authorization)\"?\\s*[:=]\\s*\"?)(?:(?:bearer|basic)\\s+)?[^\\s\"',;&)]+");

    private FailureReasons() {
    }

    static String of(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause.getMessage();
        String reason = cause.getClass().getSimpleName()
                + (message == null || message.isBlank() ? "" : ": " + message.strip());
        return truncate(mask(reason));
    }

    /**
     * Where the exception was thrown, for the log: a class, method and line carry no
     * payload.
     */
    static String origin(Throwable failure) {
        StackTraceElement[] trace = unwrap(failure).getStackTrace();
        return trace.length == 0 ? "unknown" : trace[0].toString();
    }

    static String mask(String text) {
        return SECRETS.matcher(text).replaceAll(match -> {
            String prefix = match.group(1) != null ? match.group(1)
                    : match.group(2) != null ? match.group(2) : match.group(3);
            return Matcher.quoteReplacement(prefix + "***");
        });
    }

    private static String truncate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH - 1) + "…";
    }

    /** The exception the listener threw, not the future's wrapper around it. */
    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

}
