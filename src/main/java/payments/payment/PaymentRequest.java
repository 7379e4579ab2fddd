package payments.payment;

import java.util.UUID;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A request to pay an order in full.
 *
 * @param orderId the order to pay
 * @param amount the amount in minor units of {@code currency}; must equal the order's
 * total
 * @param currency the ISO 4217 code of the order's currency
 * @param paymentMethod a payment method token (see the simulated provider's test methods)
 */
public record PaymentRequest(@NotNull UUID orderId, @Positive long amount,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code") String currency,
        @NotBlank @Size(max = 64) String paymentMethod) {

    /**
     * The request in a canonical form: equal requests give equal fingerprints, whatever
     * their JSON looked like.
     */
    public String canonical() {
        return "POST /api/payments\norderId=" + orderId + "\namount=" + amount + "\ncurrency=" + currency
                + "\npaymentMethod=" + paymentMethod;
    }
}
