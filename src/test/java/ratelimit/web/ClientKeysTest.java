package ratelimit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
}
