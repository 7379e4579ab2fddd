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
    @CsvSource({ "CREATED, process, PROCESSING", "CREATED, fail, FAILED", "PROCESSING, succeed, SUCCEEDED",
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
    @CsvSource({ "CREATED, succeed", "PROCESSING, process", "SUCCEEDED, process", "SUCCEEDED, succeed",
            "SUCCEEDED, fail", "FAILED, process", "FAILED, succeed", "FAILED, fail" })
    void refusesEveryOtherMoveReadably(PaymentStatus from, String move) {
        Payment payment = paymentIn(from);
        int transitions = payment.transitions().size();

        assertThatThrownBy(() -> apply(move).accept(payment, NOW)).isInstanceOf(IllegalPaymentTransition.class)
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
        Payment payment = Payment.create("demo", UUID.randomUUID(), Money.of(1000, "EUR"), "pm_card_visa", "key-1",
                NOW);
        switch (status) {
            case CREATED -> {
            }
            case PROCESSING -> payment.markProcessing(NOW);
            case SUCCEEDED -> {
                payment.markProcessing(NOW);
                payment.markSucceeded(NOW);
            }
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

    @ParameterizedTest(name = "refunds {0} approved leave {1} refunded, status {2}")
    @CsvSource({ "400, 400, PARTIALLY_REFUNDED", "400 600, 1000, REFUNDED", "1000, 1000, REFUNDED",
            "1 1 998, 1000, REFUNDED" })
    void refundsPartOrAllOfACapturedPaymentOnceTheProviderApproves(String refunds, long refunded,
            PaymentStatus status) {
        Payment payment = paymentIn(PaymentStatus.SUCCEEDED);

        for (String amount : refunds.split(" ")) {
            Refund refund = payment.requestRefund(Money.of(Long.parseLong(amount), "EUR"), null, NOW);
            assertThat(payment.status()).as("a pending refund moves no money yet")
                .isIn(PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED);
            payment.settleRefund(refund.id(), true, null, NOW);
        }

        assertThat(payment.refunded().minorUnits()).isEqualTo(refunded);
        assertThat(payment.pendingRefunds().minorUnits()).isZero();
        assertThat(payment.status()).isEqualTo(status);
        assertThat(payment.refunds()).hasSize(refunds.split(" ").length)
            .allMatch(refund -> refund.status() == RefundStatus.SUCCEEDED);
    }

    @ParameterizedTest(name = "with {0} pending, refunding {1} more is allowed: {2}")
    @CsvSource({ "600, 400, true", "600, 401, false", "1000, 1, false", "0, 1000, true" })
    void countsPendingRefundsAgainstTheAmount(long pending, long more, boolean allowed) {
        Payment payment = paymentIn(PaymentStatus.SUCCEEDED);
        if (pending > 0) {
            payment.requestRefund(Money.of(pending, "EUR"), null, NOW);
        }

        if (allowed) {
            payment.requestRefund(Money.of(more, "EUR"), null, NOW);
            assertThat(payment.refundableMinor()).isEqualTo(1000 - pending - more);
        }
        else {
            assertThatThrownBy(() -> payment.requestRefund(Money.of(more, "EUR"), null, NOW))
                .hasMessageContaining("is pending");
            assertThat(payment.refundableMinor()).isEqualTo(1000 - pending);
        }
    }

    @ParameterizedTest(name = "a refused refund of {0} frees its amount")
    @CsvSource({ "1000", "250" })
    void freesTheAmountOfARefusedRefund(long amount) {
        Payment payment = paymentIn(PaymentStatus.SUCCEEDED);
        Refund refund = payment.requestRefund(Money.of(amount, "EUR"), "customer asked", NOW);

        Refund settled = payment.settleRefund(refund.id(), false, "refund declined", NOW).orElseThrow();

        assertThat(settled.status()).isEqualTo(RefundStatus.FAILED);
        assertThat(settled.failureReason()).isEqualTo("refund declined");
        assertThat(payment.status()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(payment.refundableMinor()).isEqualTo(1000);
        assertThat(payment.settleRefund(refund.id(), true, null, NOW)).as("a repeated answer changes nothing")
            .isEmpty();
        assertThat(payment.refunded().minorUnits()).isZero();
    }

    @ParameterizedTest(name = "from {0}, refunding {1} {2} is refused")
    @CsvSource({ "SUCCEEDED, 1001, EUR, can still be refunded", "SUCCEEDED, 100, USD, must be in EUR",
            "CREATED, 100, EUR, only a captured payment can be refunded",
            "PROCESSING, 100, EUR, only a captured payment can be refunded",
            "FAILED, 100, EUR, only a captured payment can be refunded" })
    void neverRefundsMoreThanWasCapturedNorAnUncapturedPayment(PaymentStatus from, long amount, String currency,
            String message) {
        Payment payment = paymentIn(from);

        assertThatThrownBy(() -> payment.requestRefund(Money.of(amount, currency), null, NOW))
            .hasMessageContaining(message);
        assertThat(payment.refunded().minorUnits()).isZero();
        assertThat(payment.pendingRefunds().minorUnits()).isZero();
        assertThat(payment.status()).isEqualTo(from);
    }

    @ParameterizedTest(name = "a payment failed with ''{0}'' can be requeued: {1}")
    @CsvSource({ "retries exhausted, true", "declined: insufficient funds, false" })
    void requeuesOnlyPaymentsWhoseProcessingGaveUp(String reason, boolean requeued) {
        Payment payment = paymentIn(PaymentStatus.PROCESSING);
        payment.markFailed(reason, NOW);

        if (requeued) {
            payment.requeueAfterDeadLetter("retries exhausted", NOW);
            assertThat(payment.status()).isEqualTo(PaymentStatus.PROCESSING);
            assertThat(payment.failureReason()).isNull();
        }
        else {
            assertThatThrownBy(() -> payment.requeueAfterDeadLetter("retries exhausted", NOW))
                .isInstanceOf(IllegalStateException.class);
            assertThat(payment.status()).isEqualTo(PaymentStatus.FAILED);
        }
    }

}
