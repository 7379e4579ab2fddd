package webhooks.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;
import webhooks.WebhooksSettings;

/**
 * Sends one signed webhook request. Redirects are never followed (a redirect could lead past
 * the destination guard); only the first 4 KiB of a response body are kept.
 */
@Component
class WebhookClient {

    static final int KEPT_BODY_BYTES = 4096;

    private final HttpClient http;
    private final Duration requestTimeout;

    WebhookClient(WebhooksSettings settings) {
        this.http = HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
        this.requestTimeout = settings.requestTimeout();
    }

    /** A signed request: the Standard Webhooks headers and the JSON body they sign. */
    record SignedRequest(URI url, String webhookId, long timestampSeconds, String signature, String body) {
    }

    AttemptResult send(SignedRequest signed) {
        HttpRequest request = HttpRequest.newBuilder(signed.url())
            .timeout(requestTimeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Quartet-Webhooks/1")
            .header("webhook-id", signed.webhookId())
            .header("webhook-timestamp", Long.toString(signed.timestampSeconds()))
            .header("webhook-signature", signed.signature())
            .POST(HttpRequest.BodyPublishers.ofString(signed.body(), StandardCharsets.UTF_8))
            .build();
        long started = System.nanoTime();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(KEPT_BODY_BYTES), StandardCharsets.UTF_8).replace("\u0000", "");
            }
            Duration retryAfter = RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
            return new AttemptResult(response.statusCode(), elapsed(started), null, body, retryAfter);
        }
        catch (HttpTimeoutException e) {
            return AttemptResult.noResponse("timed out: " + e.getMessage(), elapsed(started));
        }
        catch (IOException e) {
            return AttemptResult.noResponse(e.getClass().getSimpleName() + ": " + e.getMessage(), elapsed(started));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return AttemptResult.noResponse("interrupted (the instance is shutting down)", elapsed(started));
        }
    }

    private static long elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }
}
