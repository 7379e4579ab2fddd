package network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpLiteralsTest {

    @ParameterizedTest(name = "{0}: ambiguous {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1         | false
            8.8.8.8           | false
            example.com       | false
            1.example         | false
            2130706433        | true
            0177.0.0.1        | true
            8.8.8.010         | true
            0x7f.1            | true
            0X7F.0.0.1        | true
            127.1             | true
            127.0.0.1.        | true
            """)
    void tellsAnAmbiguousIpv4LiteralFromAPlainOne(String host, boolean ambiguous) {
        assertThat(IpLiterals.isAmbiguousIpv4(host)).isEqualTo(ambiguous);
    }

}
