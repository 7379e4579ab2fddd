package quartet.dashboard;

import org.jspecify.annotations.Nullable;

/** The demo receiver answered a webhook request; shown live on the dashboard. */
record DemoWebhookReceived(@Nullable String webhookId, @Nullable String eventType, boolean signatureValid,
        int answeredStatus) {
}
