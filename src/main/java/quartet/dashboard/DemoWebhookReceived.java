package quartet.dashboard;

/** The demo receiver answered a webhook request; shown live on the dashboard. */
record DemoWebhookReceived(String webhookId, String eventType, boolean signatureValid, int answeredStatus) {
}
