package payments.payment;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * A refund of part or all of a captured payment.
 *
 * @param amount minor units to send back
 * @param currency the payment's currency
 * @param reason why, for the customer and the timeline
 */
public record RefundRequest(@Positive long amount,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "must be a three-letter ISO 4217 code") String currency,
        @Size(max = 200) String reason) {

    String canonical(java.util.UUID payment) {
        return "POST /api/payments/" + payment + "/refunds\namount=" + amount + "\ncurrency=" + currency + "\nreason="
                + reason;
    }
}
