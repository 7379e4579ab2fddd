package webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventTypesTest {

    @ParameterizedTest(name = "{0} takes {1}: {2}")
    @CsvSource({ "payment.succeeded, payment.succeeded, true", "payment.succeeded, payment.failed, false",
            "payment.*, payment.succeeded, true", "payment.*, payment.refund.created, true",
            "payment.*, payments.succeeded, false", "payment.*, payment, false", "*, order.paid, true", })
    void matches(String filter, String type, boolean expected) {
        assertThat(EventTypes.isValidFilter(filter)).isTrue();
        assertThat(EventTypes.matches(filter, type)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is taken by {1}")
    @CsvSource(delimiter = ';',
            value = { "a; *,a", "payment.succeeded; *,payment.succeeded,payment.*", "a.b.c; *,a.b.c,a.*,a.b.*", })
    void listsTheFiltersThatTakeAType(String type, String filters) {
        assertThat(EventTypes.filtersTaking(type)).containsExactly(filters.split(","));
    }

    /**
     * The lookup by filters and the matching rule agree, for every filter of every type
     * drawn.
     */
    @org.junit.jupiter.api.Test
    void theFiltersTakingATypeAreExactlyTheFiltersThatMatchIt() {
        long seed = System.nanoTime();
        java.util.Random random = new java.util.Random(seed);
        String[] segments = { "a", "b", "ab", "payment", "x-y", "1" };
        for (int i = 0; i < 2_000; i++) {
            String type = randomName(random, segments);
            String filter = switch (random.nextInt(3)) {
                case 0 -> "*";
                case 1 -> randomName(random, segments);
                default -> randomName(random, segments) + ".*";
            };
            assertThat(EventTypes.filtersTaking(type).contains(filter))
                .as("seed " + seed + ": " + filter + " / " + type)
                .isEqualTo(EventTypes.matches(filter, type));
        }
    }

    private static String randomName(java.util.Random random, String[] segments) {
        StringBuilder name = new StringBuilder(segments[random.nextInt(segments.length)]);
        for (int n = random.nextInt(3); n > 0; n--) {
            name.append('.').append(segments[random.nextInt(segments.length)]);
        }
        return name.toString();
    }

    @ParameterizedTest
    @CsvSource({ "payment.*.x", "pay*", "'payment succeeded'", "'.payment'", "payment." })
    void refusesMalformedFilters(String filter) {
        assertThat(EventTypes.isValidFilter(filter)).isFalse();
    }

    @ParameterizedTest(name = "{0} is reserved under {1}")
    @CsvSource({ "payment.succeeded, payment.", "payment, payment.", "Payment.Succeeded, payment.",
            "order.paid, order.", "refund.failed, refund.", "REFUND.x.y, refund.",
            "webhooks.endpoint-disabled, webhooks.", "link.created, link.", "quartet.anything, quartet.", })
    void reservesTheNamespacesQuartetPublishesItself(String type, String prefix) {
        assertThat(EventTypes.reservedPrefix(type)).hasValue(prefix);
    }

    @ParameterizedTest
    @CsvSource({ "payments.succeeded", "paymentx.done", "invoice.payment.succeeded", "orders.created", "demo.ping",
            "linked.in" })
    void leavesOtherTypesToTheClients(String type) {
        assertThat(EventTypes.reservedPrefix(type)).isEmpty();
    }

}
