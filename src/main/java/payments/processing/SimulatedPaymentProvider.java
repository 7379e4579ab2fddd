package payments.processing;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;
import payments.money.Money;

/**
 * A deterministic stand-in for a card processor, driven by test payment methods:
 * <ul>
 * <li>{@code pm_card_visa}: approved;</li>
 * <li>{@code pm_card_declined}: declined (insufficient funds);</li>
 * <li>{@code pm_card_flaky}: fails transiently twice, then approved;</li>
 * <li>{@code pm_card_timeout}: approves but loses the answer once (a timeout), then answers;</li>
 * <li>{@code pm_card_unavailable}: fails transiently every time;</li>
 * <li>{@code pm_card_refund_declined}: approved, but every refund of it is declined.</li>
 * </ul>
 * Refunds are approved, except for {@code pm_card_refund_declined}; a refund of
 * {@code pm_card_flaky} fails transiently once first. Like a real provider it remembers each
 * payment's and each refund's outcome, so a retried charge or refund never moves money twice.
 */
@Component
public class SimulatedPaymentProvider implements PaymentProvider {

    public static final String APPROVED = "pm_card_visa";
    public static final String DECLINED = "pm_card_declined";
    public static final String FLAKY = "pm_card_flaky";
    public static final String TIMEOUT = "pm_card_timeout";
    public static final String UNAVAILABLE = "pm_card_unavailable";
    public static final String REFUND_DECLINED = "pm_card_refund_declined";

    // Static: a real provider is one service for every application context in the process (several test
    // contexts share one Kafka consumer group, so whichever context takes a request must see the same provider).
    private static final Map<UUID, Result> outcomes = new ConcurrentHashMap<>();
    private static final Map<UUID, AtomicInteger> calls = new ConcurrentHashMap<>();
    private static final Map<UUID, Result> refundOutcomes = new ConcurrentHashMap<>();
    private static final Map<UUID, AtomicInteger> refundCalls = new ConcurrentHashMap<>();

    @Override
    public Result charge(UUID payment, Money amount, String paymentMethod) {
        int call = calls.computeIfAbsent(payment, id -> new AtomicInteger()).incrementAndGet();
        Result known = outcomes.get(payment);
        if (known != null) {
            return known;
        }
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
        return java.util.Optional.ofNullable(outcomes.get(payment));
    }

    @Override
    public Result refund(UUID refund, UUID payment, Money amount, String paymentMethod) {
        int call = refundCalls.computeIfAbsent(refund, id -> new AtomicInteger()).incrementAndGet();
        Result known = refundOutcomes.get(refund);
        if (known != null) {
            return known;
        }
        if (lookup(payment).filter(charge -> charge.outcome() == Outcome.APPROVED).isEmpty()) {
            return rememberRefund(refund, new Result(Outcome.DECLINED, "refund declined: no captured charge for this payment"));
        }
        return switch (paymentMethod) {
            case REFUND_DECLINED -> rememberRefund(refund, new Result(Outcome.DECLINED, "refund declined: the card account is closed"));
            case FLAKY -> {
                if (call == 1) {
                    throw new TransientProviderFailure("provider error on refund, attempt " + call);
                }
                yield rememberRefund(refund, new Result(Outcome.APPROVED, null));
            }
            default -> rememberRefund(refund, new Result(Outcome.APPROVED, null));
        };
    }

    @Override
    public java.util.Optional<Result> lookupRefund(UUID refund) {
        return java.util.Optional.ofNullable(refundOutcomes.get(refund));
    }

    /** How often the provider was asked for a refund (for tests). */
    public int callsForRefund(UUID refund) {
        AtomicInteger count = refundCalls.get(refund);
        return count == null ? 0 : count.get();
    }

    private Result rememberRefund(UUID refund, Result result) {
        refundOutcomes.putIfAbsent(refund, result);
        return refundOutcomes.get(refund);
    }

    /** How often the provider was asked to charge a payment (for tests and the dashboard). */
    public int callsFor(UUID payment) {
        AtomicInteger count = calls.get(payment);
        return count == null ? 0 : count.get();
    }

    private Result remember(UUID payment, Result result) {
        outcomes.putIfAbsent(payment, result);
        return outcomes.get(payment);
    }
}
