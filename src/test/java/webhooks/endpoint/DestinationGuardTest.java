package webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationGuardTest {

    private final DestinationGuard guard = DestinationGuard.withLookup(List.of("Localhost", "receiver.internal.test"),
            DestinationGuard.HostLookup.SYSTEM);

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|',
            value = { "ftp://example.com/hook | http or https", "file:///etc/passwd | http or https",
                    "gopher://8.8.8.8/ | http or https", "http://127.0.0.1:8080/hook | loopback",
                    "http://[::1]/hook | loopback", "http://10.0.0.5/hook | private",
                    "http://192.168.0.1/hook | private", "http://169.254.169.254/latest/meta-data | metadata",
                    "http://[::ffff:169.254.169.254]/ | metadata", "http://[::ffff:127.0.0.1]/ | loopback",
                    "http://[::ffff:0:127.0.0.1]/ | loopback", "http://[::ffff:0:a9fe:a9fe]/ | metadata",
                    "http://[::ffff:0:8.8.8.8]/ | reserved", "http://[64:ff9b:1::808:808]/ | private",
                    "http://[64:ff9b:1::7f00:1]/ | private", "http://[64:ff9b::a9fe:a9fe]/ | metadata",
                    "http://[::127.0.0.1]/ | loopback", "http://[2002:7f00:1::]/ | loopback",
                    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/ | loopback", "http://[fd00::1]/ | unique-local",
                    "http://[fe80::1]/ | link-local", "http://0.0.0.0/ | unspecified", "http://224.0.0.1/ | multicast",
                    "http://user:pw@8.8.8.8/ | credentials", "http://does-not-exist.invalid/ | cannot be resolved",
                    "http://0177.0.0.1/ | four decimal numbers", "http://8.8.8.010/ | four decimal numbers", })
    void refuses(String url, String reason) {
        assertThatThrownBy(() -> guard.check(URI.create(url))).isInstanceOf(DestinationGuard.RefusedDestination.class)
            .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://8.8.8.8/hook", "http://[2606:4700:4700::1111]/", "http://[64:ff9b::808:808]/",
            "http://localhost:9000/hook", "http://LOCALHOST/hook", "http://receiver.internal.test/hook" })
    void allowsPublicAndAllowListedHosts(String url) {
        assertThatCode(() -> guard.check(URI.create(url))).doesNotThrowAnyException();
    }

    /** The demo's receiver inside the app: one URL on loopback, not the host. */
    private final DestinationGuard demoGuard = DestinationGuard.withLookup(List.of(), () -> List
        .of(URI.create("http://localhost:8080/demo/webhooks"), URI.create("http://127.0.0.1:8080/demo/webhooks")),
            DestinationGuard.HostLookup.SYSTEM);

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:8080/demo/webhooks", "http://LOCALHOST:8080/demo/webhooks",
            "http://127.0.0.1:8080/demo/webhooks" })
    void allowsAnAllowedPrivateUrlExactly(String url) {
        assertThatCode(() -> demoGuard.check(URI.create(url))).doesNotThrowAnyException();
        assertThatCode(() -> demoGuard.checkForm(URI.create(url))).as("before each delivery")
            .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://localhost:8080/actuator/health", "http://127.0.0.1:8080/actuator/health",
            "http://localhost:8081/demo/webhooks", "http://localhost/demo/webhooks",
            "https://localhost:8080/demo/webhooks", "http://localhost:8080/demo/webhooks/received",
            "http://localhost:8080/demo/webhooks?next=/actuator",
            "http://localhost:8080/demo/webhooks/../../actuator/health", "http://localhost:8080/demo/%77ebhooks",
            "http://localhost:8080/demo/webhooks;x=1" })
    void refusesEveryOtherPortPathAndFormOfThatHost(String url) {
        assertThatThrownBy(() -> demoGuard.check(URI.create(url)))
            .isInstanceOf(DestinationGuard.RefusedDestination.class)
            .hasMessageContaining("loopback");
        assertThatThrownBy(() -> demoGuard.checkForm(URI.create(url))).as("before each delivery")
            .isInstanceOf(DestinationGuard.RefusedDestination.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://[::1]:8080/demo/webhooks", "http://127.0.0.2:8080/demo/webhooks",
            "http://0177.0.0.1:8080/demo/webhooks" })
    void refusesTheSameRouteOnAnotherSpellingOfLoopback(String url) {
        // Another host: its addresses are checked as always, at registration and when the
        // client connects.
        assertThatThrownBy(() -> demoGuard.check(URI.create(url)))
            .isInstanceOf(DestinationGuard.RefusedDestination.class);
        assertThatThrownBy(() -> demoGuard.allowedAddresses(URI.create(url).getHost()))
            .isInstanceOf(DestinationGuard.RefusedDestination.class);
    }

    @org.junit.jupiter.api.Test
    void letsTheDeliveryClientConnectToTheHostOfAnAllowedUrl() {
        // The resolver sees only the host; checkForm already held the URL to the allowed
        // one.
        assertThat(demoGuard.allowedAddresses("localhost")).isNotEmpty()
            .allSatisfy(address -> assertThat(address.isLoopbackAddress()).isTrue());
        assertThatThrownBy(() -> demoGuard.allowedAddresses("[::1]"))
            .isInstanceOf(DestinationGuard.RefusedDestination.class);
    }

}
