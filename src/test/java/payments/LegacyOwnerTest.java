package payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events published before events carried an owner, read back from the registry or a
 * topic.
 */
class LegacyOwnerTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void readsAnEventWithoutAnOwnerAsTheLegacyOwners() {
        UUID payment = UUID.randomUUID();
        UUID order = UUID.randomUUID();

        PaymentSucceeded old = json.readValue("{\"paymentId\":\"" + payment + "\",\"orderId\":\"" + order
                + "\",\"amountMinor\":100,\"currency\":\"EUR\"}", PaymentSucceeded.class);

        assertThat(old.owner()).isEqualTo("demo");
        assertThat(old.paymentId()).isEqualTo(payment);
    }

    @Test
    void keepsTheOwnerAnEventCarries() {
        OrderPaid paid = json.readValue(
                json.writeValueAsString(
                        new OrderPaid(UUID.randomUUID(), UUID.randomUUID(), 100, "EUR", "ada", "alice")),
                OrderPaid.class);

        assertThat(paid.owner()).isEqualTo("alice");
    }

}
