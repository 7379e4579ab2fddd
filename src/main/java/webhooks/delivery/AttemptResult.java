package webhooks.delivery;

import java.time.Duration;

/**
 * What one delivery attempt saw.
 *
 * @param statusCode the response status, or null when no response came (refused, timed
 * out...)
 * @param error why the attempt did not get a response, or null
 * @param responseBody the first bytes of the response body (at most 4 KiB), or null
 * @param retryAfter the endpoint's Retry-After, or null when it gave none
 * @param traceId the trace the attempt's request was sent in, or null
 */
record AttemptResult(Integer statusCode, long latencyMillis, String error, String responseBody, Duration retryAfter,
        String traceId) {

    AttemptResult(Integer statusCode, long latencyMillis, String error, String responseBody, Duration retryAfter) {
        this(statusCode, latencyMillis, error, responseBody, retryAfter, null);
    }

    static AttemptResult noResponse(String error, long latencyMillis) {
        return new AttemptResult(null, latencyMillis, error, null, null);
    }

    AttemptResult withTraceId(String traceId) {
        return new AttemptResult(statusCode, latencyMillis, error, responseBody, retryAfter, traceId);
    }

    boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    /** A one-line account for the delivery's last error. */
    String summary() {
        return statusCode == null ? error : "HTTP " + statusCode;
    }
}
