package ratelimit.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.web.MockHttpServletRequest;

class ClientKeysTest {

    private final ClientKeys keys = new ClientKeys(List.of("127.0.0.1", "10.0.0.0/8", "::1"));

    @ParameterizedTest(name = "peer {0}, X-Forwarded-For ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            203.0.113.9 | none                          | 203.0.113.9
            203.0.113.9 | 198.51.100.7                  | 203.0.113.9
            127.0.0.1   | none                          | 127.0.0.1
            127.0.0.1   | 198.51.100.7                  | 198.51.100.7
            127.0.0.1   | 198.51.100.7, 10.1.2.3        | 198.51.100.7
            127.0.0.1   | 6.6.6.6, 198.51.100.7, 10.1.2.3 | 198.51.100.7
            10.9.9.9    | 2001:db8::1                   | 2001:db8::1
            ::1         | 198.51.100.7                  | 198.51.100.7
            127.0.0.1   | not-an-ip, 10.1.2.3           | 127.0.0.1
            127.0.0.1   | 10.1.2.3, 10.4.5.6            | 127.0.0.1
            127.0.0.1   | '  '                          | 127.0.0.1
            """)
    void believesForwardedForOnlyFromTrustedProxies(String peer, String forwardedFor, String expected) {
        var request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);
        if (forwardedFor != null) {
            request.addHeader("X-Forwarded-For", forwardedFor);
        }

        assertThat(keys.clientIp(request)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({ "demo-key, key:", "'', ip:" })
    void keysByADigestOfTheApiKeyNeverTheKeyItself(String apiKey, String expectedPrefix) {
        var request = new MockHttpServletRequest();
        request.setRemoteAddr("203.0.113.9");
        request.addHeader("X-API-Key", apiKey);

        String key = keys.apiKey(request);

        assertThat(key).startsWith(expectedPrefix).doesNotContain("demo-key");
    }

    @ParameterizedTest(name = "/{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            64  | 203.0.113.9                             | ip:203.0.113.9
            48  | 198.51.100.7                            | ip:198.51.100.7
            64  | 2001:db8:1:2:3:4:5:6                    | ip:2001:db8:1:2::/64
            64  | 2001:db8:1:2:ffff:ffff:ffff:ffff        | ip:2001:db8:1:2::/64
            64  | 2001:DB8:0001:0002:0:0:0:1              | ip:2001:db8:1:2::/64
            64  | 2001:db8::1                             | ip:2001:db8::/64
            64  | ::1                                     | ip:::/64
            64  | [2001:db8:1:2::9]                       | ip:2001:db8:1:2::/64
            48  | 2001:db8:1:2:3:4:5:6                    | ip:2001:db8:1::/48
            48  | 2001:db8:1:ffff::1                      | ip:2001:db8:1::/48
            56  | 2001:db8:1:2ff::1                       | ip:2001:db8:1:200::/56
            128 | 2001:db8:1:2:3:4:5:6                    | ip:2001:db8:1:2:3:4:5:6/128
            128 | 2001:db8::1                             | ip:2001:db8::1/128
            128 | 2001:0:0:1:0:0:0:1                      | ip:2001:0:0:1::1/128
            1   | ffff::1                                 | ip:8000::/1
            64  | ::ffff:198.51.100.7                     | ip:198.51.100.7
            128 | ::ffff:c633:6407                        | ip:198.51.100.7
            64  | not-an-address                          | ip:not-an-address
            """)
    void keysIpv4ClientsByAddressAndIpv6ClientsByNetwork(int prefixLength, String peer, String expected) {
        var request = new MockHttpServletRequest();
        request.setRemoteAddr(peer);

        assertThat(new ClientKeys(List.of(), prefixLength).ip(request)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} and {1}")
    @CsvSource({ "2001:db8:1:2::1, 2001:db8:1:2:ffff::77", "2001:db8:1:2:a:b:c:d, 2001:db8:1:2:d:c:b:a", })
    void aHostHoppingAcrossItsSlash64StaysOneClientBehindATrustedProxyToo(String first, String second) {
        var viaProxy = new MockHttpServletRequest();
        viaProxy.setRemoteAddr("10.0.0.5");
        viaProxy.addHeader("X-Forwarded-For", first);
        var direct = new MockHttpServletRequest();
        direct.setRemoteAddr(second);

        assertThat(keys.ip(viaProxy)).isEqualTo(keys.ip(direct)).isEqualTo("ip:2001:db8:1:2::/64");
        // anonymous: keyed by IP
        assertThat(keys.client(direct)).isEqualTo("ip:2001:db8:1:2::/64");
        // the address itself is unchanged
        assertThat(keys.clientIp(direct)).isEqualTo(second);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1, 129 })
    void rejectsAPrefixLengthThatIsNoIpv6Prefix(int prefixLength) {
        assertThatIllegalArgumentException().isThrownBy(() -> new ClientKeys(List.of(), prefixLength))
            .withMessageContaining("between 1 and 128");
    }

}
