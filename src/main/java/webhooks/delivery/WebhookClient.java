package webhooks.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.tracing.Span;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import webhooks.WebhooksSettings;
import webhooks.endpoint.DestinationGuard;

/**
 * Sends one signed webhook request with Apache HttpClient. Every connection resolves its
 * host through the destination guard and connects only to the addresses it allowed (no
 * window for DNS rebinding); redirects, retries, cookies and proxies are off; an attempt
 * is aborted when the request timeout has passed since it began, body or not; only the
 * first 4 KiB of a response body are kept.
 */
@Component
class WebhookClient implements AutoCloseable {

    static final int KEPT_BODY_BYTES = 4096;

    /**
     * Read past the kept bytes so a connection can be reused; a longer body closes it
     * instead.
     */
    static final int DRAINED_BODY_BYTES = 64 * 1024;

    private static final ContentType JSON = ContentType.create("application/json");

    private final CloseableHttpClient http;

    private final Duration requestTimeout;

    private final ScheduledThreadPoolExecutor deadlines;

    private final AttemptTracing tracing;

    WebhookClient(WebhooksSettings settings, DestinationGuard guard, AttemptTracing tracing) {
        this.tracing = tracing;
        this.requestTimeout = settings.requestTimeout();
        ConnectionConfig connections = ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(settings.connectTimeout()))
            .setSocketTimeout(Timeout.of(requestTimeout))
            // A pooled connection keeps the address checked when it was opened: resolve
            // and check again at least this often.
            .setTimeToLive(TimeValue.ofMinutes(1))
            .setValidateAfterInactivity(TimeValue.ofSeconds(2))
            .build();
        this.http = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedDnsResolver(guard))
                .setMaxConnTotal(settings.workers())
                .setMaxConnPerRoute(settings.workers())
                .setDefaultConnectionConfig(connections)
                .build())
            .setDefaultRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(settings.connectTimeout()))
                .setResponseTimeout(Timeout.of(requestTimeout))
                .setRedirectsEnabled(false)
                .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableContentCompression()
            .evictExpiredConnections()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .build();
        this.deadlines = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "webhook-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    /** A signed request: the Standard Webhooks headers and the JSON body they sign. */
    /**
     * @param traceparent the trace the delivery was created in, or null
     */
    record SignedRequest(URI url, String webhookId, long timestampSeconds, String signature, String body,
            @Nullable String traceparent) {
    }

    AttemptResult send(SignedRequest signed) {
        HttpPost post = new HttpPost(signed.url());
        post.setHeader("User-Agent", "Quartet-Webhooks/1");
        post.setHeader("webhook-id", signed.webhookId());
        post.setHeader("webhook-timestamp", Long.toString(signed.timestampSeconds()));
        post.setHeader("webhook-signature", signed.signature());
        post.setEntity(new ByteArrayEntity(signed.body().getBytes(StandardCharsets.UTF_8), JSON));
        Span span = tracing.start(post, signed.traceparent());
        AttemptResult result = null;
        try {
            result = execute(post).withTraceId(AttemptTracing.traceId(span));
            return result;
        }
        finally {
            AttemptTracing.end(span, result);
        }
    }

    private AttemptResult execute(HttpPost post) {
        long started = System.nanoTime();
        AtomicBoolean expired = new AtomicBoolean();
        // The response timeout only bounds each read: a body trickling in byte by byte
        // would not trip it.
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            expired.set(true);
            post.abort();
        }, requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ClassicHttpResponse response = null;
        boolean reusable = false;
        try {
            response = http.executeOpen(null, post, null);
            HttpEntity entity = response.getEntity();
            InputStream body = entity == null ? InputStream.nullInputStream() : entity.getContent();
            byte[] kept = body.readNBytes(KEPT_BODY_BYTES);
            if (expired.get()) {
                // An aborted close-delimited body can end early instead of failing: it is
                // still cut short.
                throw new SocketTimeoutException("aborted at the deadline");
            }
            AttemptResult result = new AttemptResult(response.getCode(), elapsed(started), null,
                    new String(kept, StandardCharsets.UTF_8).replace("\u0000", ""), retryAfter(response));
            reusable = drained(body);
            return result;
        }
        catch (GuardedDnsResolver.RefusedAddress e) {
            return AttemptResult.noResponse("refused: " + e.getMessage(), elapsed(started));
        }
        catch (ConnectTimeoutException e) {
            return AttemptResult.noResponse("timed out: " + e.getMessage(), elapsed(started));
        }
        catch (IOException e) {
            if (expired.get() || e instanceof SocketTimeoutException) {
                String what = response == null ? "no response" : "the response body did not arrive";
                return AttemptResult.noResponse("timed out: " + what + " within " + requestTimeout.toMillis() + " ms",
                        elapsed(started));
            }
            if (Thread.currentThread().isInterrupted() || e instanceof InterruptedIOException) {
                return AttemptResult.noResponse("interrupted (the instance is shutting down)", elapsed(started));
            }
            return AttemptResult.noResponse(e.getClass().getSimpleName() + ": " + e.getMessage(), elapsed(started));
        }
        finally {
            deadline.cancel(false);
            release(post, response, reusable);
        }
    }

    private static Duration retryAfter(ClassicHttpResponse response) {
        Header header = response.getFirstHeader("Retry-After");
        return RetryAfter.parse(header == null ? null : header.getValue(), Instant.now());
    }

    /**
     * Reads on to the end of the body if it ends within {@link #DRAINED_BODY_BYTES},
     * which hands the connection back to the pool; an error on the way counts as not
     * drained.
     */
    private static boolean drained(InputStream in) {
        byte[] buffer = new byte[8192];
        long remaining = DRAINED_BODY_BYTES;
        try {
            while (remaining > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (read < 0) {
                    return true;
                }
                remaining -= read;
            }
            return in.read() < 0;
        }
        catch (IOException e) {
            return false;
        }
    }

    /**
     * A drained response is closed normally and its connection reused; any other is
     * aborted first, because closing an unread body would read it to its end, however
     * long.
     */
    private static void release(HttpPost post, ClassicHttpResponse response, boolean reusable) {
        if (!reusable) {
            post.abort();
        }
        if (response == null) {
            return;
        }
        try {
            response.close();
        }
        catch (IOException e) {
            // the connection is discarded either way
        }
    }

    private static long elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        http.close(CloseMode.IMMEDIATE);
    }

}
