package quartet.dashboard;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Turns an event's JSON (as externalized, or an in-process event converted to JSON) into
 * one short sentence and the identifiers it names. Unknown shapes fall back to a few of
 * their fields.
 */
final class EventSummaries {

    private static final String[] REF_FIELDS = { "paymentId", "orderId", "refundId", "deliveryId", "messageId",
            "endpointId", "code" };

    private EventSummaries() {
    }

    static String summary(String channel, JsonNode event) {
        String name = channel.contains("retry") ? "payment.requests.retry" : channel;
        switch (name) {
            case "payment.succeeded":
            case "PaymentSucceeded":
                return "payment " + shortId(event, "paymentId") + " captured " + money(event) + " for order "
                        + shortId(event, "orderId");
            case "payment.failed":
            case "PaymentFailed":
                return "payment " + shortId(event, "paymentId") + " failed (" + text(event, "reason") + ")";
            case "order.paid":
            case "OrderPaid":
                return "order " + shortId(event, "orderId") + " paid in full: " + money(event);
            case "refund.succeeded":
            case "RefundSucceeded":
                return "refund of " + money(event) + " on payment " + shortId(event, "paymentId")
                        + (event.path("fullyRefunded").asBoolean() ? " (fully refunded)" : "");
            case "payment.requests":
                return "processing request for payment " + shortId(event, "paymentId");
            case "payment.requests.retry":
                return "retry of payment " + shortId(event, "paymentId") + " after a transient failure";
            case "payment.requests-dlt":
            case "payment.requests.dlt":
                return "payment " + shortId(event, "paymentId") + " gave up: dead-lettered";
            case "link.created":
            case "LinkCreated":
                return "short link /" + text(event, "code") + " created for " + text(event, "target");
            case "link.clicks":
            case "ClicksRecorded": {
                int clicks = event.path("clicks").size();
                return clicks + (clicks == 1 ? " click" : " clicks") + " counted in one batch" + codes(event);
            }
            case "webhooks.deliveries": {
                // A job carries the due deliveries of one endpoint (deliveryIds); jobs of
                // the earlier form one deliveryId.
                String first = event.path("deliveryIds").isArray()
                        ? shortId(event.path("deliveryIds").path(0).asString("")) : shortId(event, "deliveryId");
                int deliveries = Math.max(1, event.path("deliveryIds").size());
                return "delivery job " + first
                        + (deliveries > 1 ? " and " + (deliveries - 1) + " more of its endpoint" : "")
                        + " handed to the workers";
            }
            case "webhooks.endpoint-disabled":
            case "EndpointDisabled":
                return "endpoint " + shortId(event, "endpointId") + " disabled: " + text(event, "reason");
            case "webhooks.delivery-dead-lettered":
            case "DeliveryDeadLettered":
                return "delivery " + shortId(event, "deliveryId") + " dead-lettered after "
                        + event.path("attempts").asInt() + " attempts";
            default:
                return fallback(event);
        }
    }

    static Map<String, String> refs(JsonNode event) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (String field : REF_FIELDS) {
            if (!text(event, field).isEmpty()) {
                refs.put(field, text(event, field));
            }
        }
        if (event.path("deliveryIds").isArray()) {
            event.path("deliveryIds")
                .valueStream()
                .map(id -> id.asString(""))
                .limit(10)
                .forEach(id -> refs.merge("deliveryId", id, (a, b) -> a + "," + b));
        }
        if (event.path("clicks").isArray()) {
            event.path("clicks")
                .valueStream()
                .map(click -> text(click, "code"))
                .distinct()
                .limit(10)
                .forEach(code -> refs.merge("code", code, (a, b) -> a + "," + b));
        }
        return refs;
    }

    private static String codes(JsonNode event) {
        String codes = String.join(", ",
                event.path("clicks")
                    .valueStream()
                    .map(click -> "/" + text(click, "code"))
                    .distinct()
                    .limit(3)
                    .toList());
        return codes.isEmpty() ? "" : " (" + codes + ")";
    }

    private static String money(JsonNode event) {
        String currency = text(event, "currency");
        long minor = event.path("amountMinor").asLong();
        try {
            int digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            return BigDecimal.valueOf(minor, digits).toPlainString() + " " + currency;
        }
        catch (IllegalArgumentException e) {
            return minor + " " + currency;
        }
    }

    private static String shortId(JsonNode event, String field) {
        return shortId(text(event, field));
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    static String text(JsonNode event, String field) {
        JsonNode value = event.path(field);
        if (value.isObject() && value.has("value")) {
            value = value.path("value");
        }
        return value.isValueNode() ? value.asString("") : "";
    }

    private static String fallback(JsonNode event) {
        if (!event.isObject()) {
            return event.isValueNode() ? event.asString("") : "";
        }
        StringBuilder summary = new StringBuilder();
        event.properties().stream().filter(field -> field.getValue().isValueNode()).limit(3).forEach(field -> {
            if (summary.length() > 0) {
                summary.append(", ");
            }
            summary.append(field.getKey()).append(' ').append(field.getValue().asString(""));
        });
        return summary.toString();
    }

}
