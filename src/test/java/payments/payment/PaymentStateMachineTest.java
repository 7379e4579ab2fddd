package payments.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import java.util.function.BiConsumer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import payments.money.Money;

class PaymentStateMachineTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @ParameterizedTest(name = "{0} --{1}--> {2}")
    @CsvSource({
            "CREATED, process, PROCESSING",
            "CREATED, fail, FAILED",
            "PROCESSING, succeed, SUCCEEDED",
            "PROCESSING, fail, FAILED" })
    void allowsTheDesignedMoves(PaymentStatus from, String move, PaymentStatus to) {
        Payment payment = paymentIn(from);

        apply(move).accept(payment, NOW);

        assertThat(payment.status()).isEqualTo(to);
        assertThat(payment.transitions()).last().satisfies(transition -> {
            assertThat(transition.fromStatus()).isEqualTo(from);
            assertThat(transition.toStatus()).isEqualTo(to);
            assertThat(transition.at()).isEqualTo(NOW);
        });
    }

    @ParameterizedTest(name = "{0} cannot {1}")
    @CsvSource({
            "CREATED, succeed",
            "PROCESSING, process",
            "SUCCEEDED, process",
            "SUCCEEDED, succeed",
            "SUCCEEDED, fail",
            "FAILED, process",
            "FAILED, succeed",
            "FAILED, fail" })
    void refusesEveryOtherMoveReadably(PaymentStatus from, String move) {
        Payment payment = paymentIn(from);
        int transitions = payment.transitions().size();

        assertThatThrownBy(() -> apply(move).accept(payment, NOW))
            .isInstanceOf(IllegalPaymentTransition.class)
            .hasMessageContaining("cannot move from " + from);
        assertThat(payment.status()).isEqualTo(from);
        assertThat(payment.transitions()).hasSize(transitions);
    }

    @ParameterizedTest
    @CsvSource({ "declined: insufficient funds" })
    void keepsTheReasonOfAFailure(String reason) {
        Payment payment = paymentIn(PaymentStatus.PROCESSING);

        payment.markFailed(reason, NOW);

        assertThat(payment.failureReason()).isEqualTo(reason);
        assertThat(payment.transitions()).last().extracting(PaymentTransition::reason).isEqualTo(reason);
    }

    private static Payment paymentIn(PaymentStatus status) {
        Payment payment = Payment.create(UUID.randomUUID(), Money.of(1000, "EUR"), "pm_card_visa", NOW);
        switch (status) {
            case CREATED -> { }
            case PROCESSING -> payment.markProcessing(NOW);
            case SUCCEEDED -> { payment.markProcessing(NOW); payment.markSucceeded(NOW); }
            case FAILED -> payment.markFailed("declined", NOW);
        }
        return payment;
    }

    private static BiConsumer<Payment, Instant> apply(String move) {
        return switch (move) {
            case "process" -> Payment::markProcessing;
            case "succeed" -> Payment::markSucceeded;
            case "fail" -> (payment, now) -> payment.markFailed("test", now);
            default -> throw new IllegalArgumentException(move);
        };
    }
}
