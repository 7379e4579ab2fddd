package payments.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    @ParameterizedTest(name = "{0} {1} reads as {2}")
    @CsvSource({ "1250, EUR, 12.50 EUR", "5, EUR, 0.05 EUR", "1250, JPY, 1250 JPY", "1250, BHD, 1.250 BHD",
            "0, USD, 0.00 USD" })
    void respectsTheCurrencyExponent(long minorUnits, String currency, String display) {
        assertThat(Money.of(minorUnits, currency)).hasToString(display);
    }

    @ParameterizedTest(name = "{0} {1} is refused")
    @CsvSource({ "-1, EUR, between 0", "1000000000000000001, EUR, between 0", "100, eur, three-letter",
            "100, EURO, three-letter", "100, ABC, not an ISO 4217", "100, XXX, not a currency payments" })
    void refusesBadAmountsAndCurrencies(long minorUnits, String currency, String message) {
        assertThatThrownBy(() -> Money.of(minorUnits, currency)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message);
    }

    @ParameterizedTest
    @CsvSource({ "EUR, USD" })
    void neverMixesCurrencies(String one, String other) {
        assertThatThrownBy(() -> Money.of(1, one).plus(Money.of(1, other))).hasMessageContaining("Cannot combine");
    }

    @ParameterizedTest
    @CsvSource({ "999999999999999, 2" })
    void refusesSumsBeyondTheLimit(long minorUnits, long quantity) {
        assertThatThrownBy(() -> Money.of(minorUnits, "EUR").times(quantity * 1000))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
