package shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AliasesTest {

    private final Aliases aliases = new Aliases(List.of("api", "actuator", "docs", "swagger-ui"));

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "abc", "my-link", "My_Link_2026", "a-b_c",
            "0123456789012345678901234567890123456789012345678901234567890123" })
    void acceptsAnAliasOfLettersDigitsUnderscoresAndHyphens(String alias) {
        assertThat(aliases.validate(alias).value()).isEqualTo(alias);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ab                 | 3 to 64 characters
            a b c              | 3 to 64 characters
            my.link            | 3 to 64 characters
            my/link            | 3 to 64 characters
            link+              | 3 to 64 characters
            émile              | 3 to 64 characters
            01234567890123456789012345678901234567890123456789012345678901234 | 3 to 64 characters
            api                | reserved
            API                | reserved
            Actuator           | reserved
            swagger-ui         | reserved
            """)
    void refusesAnAliasBreakingARule(String alias, String rule) {
        assertThatThrownBy(() -> aliases.validate(alias)).isInstanceOf(InvalidLinkException.class)
            .hasMessageContaining(rule);
    }

}
