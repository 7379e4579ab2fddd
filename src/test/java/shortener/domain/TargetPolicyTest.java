package shortener.domain;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetPolicyTest {

    /**
     * Names resolve from this table only; IP literals parse as themselves; anything else
     * is unknown.
     */
    private static final Map<String, String> DNS = Map.of("example.com", "93.184.215.14", "intranet.corp", "10.1.2.3",
            "sneaky.example", "127.0.0.1", "wiki.corp", "172.16.5.5", "localhost", "127.0.0.1");

    private final TargetPolicy policy = new TargetPolicy(URI.create("https://sho.rt"),
            List.of("wiki.corp", "192.168.7.7"), TargetPolicyTest::resolve);

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "https://example.com/path?q=1#top", "http://example.com", "HTTPS://EXAMPLE.COM/",
            "https://unknown.example/x", "https://93.184.215.14/", "https://[2606:2800:220:1:248:1893:25c8:1946]/",
            "https://[64:ff9b::808:808]/", "https://wiki.corp/page", "http://192.168.7.7/",
            "https://sho.rt.example.com/" })
    void acceptsAPublicHttpTarget(String url) {
        assertThatCode(() -> policy.check(TargetUrl.parse(url))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            javascript:alert(1)                    | http or https
            data:text/html;base64,PHNjcmlwdD4=     | http or https
            file:///etc/passwd                     | http or https
            ftp://example.com/file                 | http or https
            //example.com/no-scheme                | http or https
            https://                               | not a valid URL
            http:///path-only                      | must name a host
            https://user:pw@example.com/           | user info
            https://sho.rt/abc                     | back at this shortener
            https://SHO.RT./abc                    | back at this shortener
            http://127.0.0.1/                      | loopback, private
            http://localhost/                      | loopback, private
            http://[::1]/                          | loopback, private
            http://0.0.0.0/                        | loopback, private
            http://10.0.0.8/                       | loopback, private
            http://172.20.1.1/                     | loopback, private
            http://192.168.1.1/                    | loopback, private
            http://169.254.169.254/latest          | loopback, private
            http://100.64.0.1/                     | loopback, private
            http://[fd00::1]/                      | loopback, private
            http://[fe80::1]/                      | loopback, private
            http://[::ffff:127.0.0.1]/             | loopback, private
            http://[::127.0.0.1]/                  | loopback, private
            http://[::ffff:0:127.0.0.1]/           | loopback, private
            http://[::ffff:0:a9fe:a9fe]/           | loopback, private
            http://[64:ff9b:1::808:808]/           | loopback, private
            http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/ | loopback, private
            http://192.0.2.10/                     | loopback, private
            http://[64:ff9b::a9fe:a9fe]/           | loopback, private
            http://[2002:c0a8:101::1]/             | loopback, private
            http://intranet.corp/                  | loopback, private
            http://sneaky.example/                 | loopback, private
            http://2130706433/                     | four decimal numbers
            http://0x7f.1/                         | must name a host
            http://127.1/                          | must name a host
            http://0177.0.0.1/                     | four decimal numbers
            """)
    void refusesATargetBreakingARule(String url, String rule) {
        assertThatThrownBy(() -> policy.check(TargetUrl.parse(url))).isInstanceOf(InvalidLinkException.class)
            .hasMessageContaining(rule);
    }

    @org.junit.jupiter.api.Test
    void refusesATargetLongerThan2048Characters() {
        String url = "https://example.com/" + "a".repeat(2048 - 20 + 1);

        assertThatThrownBy(() -> TargetUrl.parse(url)).isInstanceOf(InvalidLinkException.class)
            .hasMessageContaining("2048");
        assertThatCode(() -> TargetUrl.parse(url.substring(0, 2048))).doesNotThrowAnyException();
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.matches("[0-9.]+|.*:.*")) {
            return InetAddress.getAllByName(host);
        }
        String address = DNS.get(host);
        if (address == null) {
            throw new UnknownHostException(host);
        }
        return new InetAddress[] { InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress()) };
    }

}
