package payments.processing;

import java.util.UUID;

import org.springframework.stereotype.Component;
import payments.money.Money;
import payments.processing.SimulatedProviderRecord.Kind;

/**
 * A deterministic stand-in for a card processor, driven by test payment methods:
 * <ul>
 * <li>{@code pm_card_visa}: approved;</li>
 * <li>{@code pm_card_declined}: declined (insufficient funds);</li>
 * <li>{@code pm_card_flaky}: fails transiently twice, then approved;</li>
 * <li>{@code pm_card_timeout}: approves but loses the answer once (a timeout), then
 * answers;</li>
 * <li>{@code pm_card_unavailable}: fails transiently every time;</li>
 * <li>{@code pm_card_refund_declined}: approved, but every refund of it is declined.</li>
 * </ul>
 * Refunds are approved, except for {@code pm_card_refund_declined}; a refund of
 * {@code pm_card_flaky} fails transiently once first. Like a real provider it remembers
 * each payment's and refund's outcome, so a retry never moves money twice, also after a
 * restart of Quartet: its memory is a table of its own ({@link SimulatedProviderRecord}).
 */
@Component
public class SimulatedPaymentProvider implements PaymentProvider {

    public static final String APPROVED = "pm_card_visa";

    public static final String DECLINED = "pm_card_declined";

    public static final String FLAKY = "pm_card_flaky";

    public static final String TIMEOUT = "pm_card_timeout";

    public static final String UNAVAILABLE = "pm_card_unavailable";

    public static final String REFUND_DECLINED = "pm_card_refund_declined";

    // In PostgreSQL, not in this JVM: a real provider is one service for every instance
    // and every test
    // context (which share one Kafka consumer group), and it does not forget a charge
    // when Quartet restarts.
    private final SimulatedProviderRecord record;

    SimulatedPaymentProvider(SimulatedProviderRecord record) {
        this.record = record;
    }

    @Override
    public Result charge(UUID payment, Money amount, String paymentMethod) {
        SimulatedProviderRecord.Call called = record.call(Kind.CHARGE, payment);
        if (called.answer().isPresent()) {
            return called.answer().get();
        }
        int call = called.number();
        return switch (paymentMethod) {
            case APPROVED, REFUND_DECLINED -> remember(payment, new Result(Outcome.APPROVED, null));
            case DECLINED -> remember(payment, new Result(Outcome.DECLINED, "declined: insufficient funds"));
            case FLAKY -> {
                if (call <= 2) {
                    throw new TransientProviderFailure("provider error, attempt " + call);
                }
                yield remember(payment, new Result(Outcome.APPROVED, null));
            }
            case TIMEOUT -> {
                remember(payment, new Result(Outcome.APPROVED, null));
                throw new TransientProviderFailure("provider did not answer in time");
            }
            case UNAVAILABLE -> throw new TransientProviderFailure("provider unavailable");
            default -> remember(payment, new Result(Outcome.DECLINED, "declined: unknown payment method"));
        };
    }

    @Override
    public java.util.Optional<Result> lookup(UUID payment) {
        return record.answerFor(Kind.CHARGE, payment);
    }

    @Override
    public Result refund(UUID refund, UUID payment, Money amount, String paymentMethod) {
        SimulatedProviderRecord.Call called = record.call(Kind.REFUND, refund);
        if (called.answer().isPresent()) {
            return called.answer().get();
        }
        if (lookup(payment).filter(charge -> charge.outcome() == Outcome.APPROVED).isEmpty()) {
            return record.answer(Kind.REFUND, refund,
                    new Result(Outcome.DECLINED, "refund declined: no captured charge for this payment"));
        }
        return switch (paymentMethod) {
            case REFUND_DECLINED -> record.answer(Kind.REFUND, refund,
                    new Result(Outcome.DECLINED, "refund declined: the card account is closed"));
            case FLAKY -> {
                if (called.number() == 1) {
                    throw new TransientProviderFailure("provider error on refund, attempt 1");
                }
                yield record.answer(Kind.REFUND, refund, new Result(Outcome.APPROVED, null));
            }
            default -> record.answer(Kind.REFUND, refund, new Result(Outcome.APPROVED, null));
        };
    }

    @Override
    public java.util.Optional<Result> lookupRefund(UUID refund) {
        return record.answerFor(Kind.REFUND, refund);
    }

    /** How often the provider was asked for a refund (for tests). */
    public int callsForRefund(UUID refund) {
        return record.calls(Kind.REFUND, refund);
    }

    /**
     * How often the provider was asked to charge a payment (for tests and the dashboard).
     */
    public int callsFor(UUID payment) {
        return record.calls(Kind.CHARGE, payment);
    }

    private Result remember(UUID payment, Result result) {
        return record.answer(Kind.CHARGE, payment, result);
    }

}
