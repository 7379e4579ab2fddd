package payments.money;

import java.util.Currency;

/**
 * An amount of money: integer minor units of an ISO 4217 currency (cents for EUR, yen for
 * JPY). Validated once here, so no other code re-checks; never a floating-point number.
 */
public record Money(long minorUnits, Currency currency) {

    /**
     * Large enough for any real payment, small enough that sums of refunds cannot
     * overflow.
     */
    public static final long MAX_MINOR_UNITS = 1_000_000_000_000_000L;

    public Money {
        if (currency == null) {
            throw new IllegalArgumentException("A currency is required");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(
                    currency.getCurrencyCode() + " is not a currency payments can be made in");
        }
        if (minorUnits < 0 || minorUnits > MAX_MINOR_UNITS) {
            throw new IllegalArgumentException(
                    "An amount must be between 0 and " + MAX_MINOR_UNITS + " minor units, not " + minorUnits);
        }
    }

    /**
     * Reads an ISO 4217 code such as EUR; refuses unknown codes and funds codes without
     * minor units.
     */
    public static Money of(long minorUnits, String currencyCode) {
        if (currencyCode == null || !currencyCode.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException(
                    "A currency is a three-letter ISO 4217 code such as EUR, not " + currencyCode);
        }
        Currency currency;
        try {
            currency = Currency.getInstance(currencyCode);
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(currencyCode + " is not an ISO 4217 currency");
        }
        return new Money(minorUnits, currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(exact(() -> Math.addExact(minorUnits, other.minorUnits)), currency);
    }

    public Money times(long quantity) {
        return new Money(exact(() -> Math.multiplyExact(minorUnits, quantity)), currency);
    }

    /**
     * A result beyond a long is beyond {@link #MAX_MINOR_UNITS} too: the same refusal,
     * not an ArithmeticException.
     */
    private static long exact(java.util.function.LongSupplier arithmetic) {
        try {
            return arithmetic.getAsLong();
        }
        catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "An amount must be between 0 and " + MAX_MINOR_UNITS + " minor units; this one overflows");
        }
    }

    public boolean isPositive() {
        return minorUnits > 0;
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    /**
     * Human form with the currency's exponent respected: 1250 EUR is 12.50 EUR, 1250 JPY
     * is 1250 JPY.
     */
    @Override
    public String toString() {
        int digits = currency.getDefaultFractionDigits();
        if (digits == 0) {
            return minorUnits + " " + currencyCode();
        }
        long scale = (long) Math.pow(10, digits);
        return minorUnits / scale + "." + String.format("%0" + digits + "d", minorUnits % scale) + " " + currencyCode();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new IllegalArgumentException("Cannot combine " + currencyCode() + " with " + other.currencyCode());
        }
    }
}
