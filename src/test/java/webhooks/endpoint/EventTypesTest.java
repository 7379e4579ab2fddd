package webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventTypesTest {

    @ParameterizedTest(name = "{0} takes {1}: {2}")
    @CsvSource({
            "payment.succeeded, payment.succeeded, true",
            "payment.succeeded, payment.failed, false",
            "payment.*, payment.succeeded, true",
            "payment.*, payment.refund.created, true",
            "payment.*, payments.succeeded, false",
            "payment.*, payment, false",
            "*, order.paid, true",
    })
    void matches(String filter, String type, boolean expected) {
        assertThat(EventTypes.isValidFilter(filter)).isTrue();
        assertThat(EventTypes.matches(filter, type)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({ "payment.*.x", "pay*", "'payment succeeded'", "'.payment'", "payment." })
    void refusesMalformedFilters(String filter) {
        assertThat(EventTypes.isValidFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "{0} is reserved under {1}")
    @CsvSource({
            "payment.succeeded, payment.", "payment, payment.", "Payment.Succeeded, payment.", "order.paid, order.",
            "refund.failed, refund.", "REFUND.x.y, refund.", "webhooks.endpoint-disabled, webhooks.", "link.created, link.",
            "quartet.anything, quartet.",
    })
    void reservesTheNamespacesQuartetPublishesItself(String type, String prefix) {
        assertThat(EventTypes.reservedPrefix(type)).hasValue(prefix);
    }

    @ParameterizedTest
    @CsvSource({ "payments.succeeded", "paymentx.done", "invoice.payment.succeeded", "orders.created", "demo.ping", "linked.in" })
    void leavesOtherTypesToTheClients(String type) {
        assertThat(EventTypes.reservedPrefix(type)).isEmpty();
    }
}
