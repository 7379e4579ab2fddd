package quartet.dashboard;

import java.time.Instant;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import payments.OrderPaid;
import payments.PaymentFailed;
import payments.PaymentSucceeded;
import payments.RefundSucceeded;
import quartet.platform.messaging.ListenerFailed;
import shortener.ClicksRecorded;
import shortener.LinkCreated;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import webhooks.EndpointDisabled;

/**
 * The modules' public events as they happen inside the JVM. Plain event listeners rather
 * than transactional ones: those would each add a publication to the event registry. The
 * event is shown once its transaction committed, so a rolled-back one never appears.
 */
@Component
class InProcessEvents {

    private final DashboardStream stream;

    private final JsonMapper json;

    InProcessEvents(DashboardStream stream, JsonMapper json) {
        this.stream = stream;
        this.json = json;
    }

    @EventListener
    void on(PaymentSucceeded event) {
        show("PaymentSucceeded", event);
    }

    @EventListener
    void on(PaymentFailed event) {
        show("PaymentFailed", event);
    }

    @EventListener
    void on(OrderPaid event) {
        show("OrderPaid", event);
    }

    @EventListener
    void on(RefundSucceeded event) {
        show("RefundSucceeded", event);
    }

    @EventListener
    void on(EndpointDisabled event) {
        show("EndpointDisabled", event);
    }

    @EventListener
    void on(LinkCreated event) {
        show("LinkCreated", event);
    }

    @EventListener
    void on(ClicksRecorded event) {
        show("ClicksRecorded", event);
    }

    @EventListener
    void on(DemoWebhookReceived event) {
        String summary = (event.eventType() == null ? "request" : event.eventType()) + " answered "
                + event.answeredStatus() + (event.signatureValid() ? ", signature valid" : ", signature INVALID");
        stream.publish(new DashboardEvent("receiver", "/demo/webhooks", event.webhookId(), summary, Instant.now(),
                java.util.Map.of("webhookId", String.valueOf(event.webhookId()))));
    }

    @EventListener
    void on(ListenerFailed event) {
        String eventType = event.eventType().substring(event.eventType().lastIndexOf('.') + 1);
        String summary = event.listenerId() + " failed on " + eventType + " (attempt " + event.attempts()
                + (event.givenUp() ? ", given up: resubmit it by hand" : " of " + event.maxAttempts()) + "): "
                + event.reason();
        stream.publish(new DashboardEvent("app", "ListenerFailed", event.listenerId(), summary, Instant.now(),
                java.util.Map.of("publicationId", event.publicationId().toString())));
    }

    private void show(String type, Object event) {
        JsonNode node = json.valueToTree(event);
        DashboardEvent shown = new DashboardEvent("app", type, null, EventSummaries.summary(type, node), Instant.now(),
                EventSummaries.refs(node));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    stream.publish(shown);
                }
            });
        }
        else {
            stream.publish(shown);
        }
    }

}
