package webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;
import webhooks.WebhooksSettings;

class DestinationGuardTest {

    private final DestinationGuard guard = new DestinationGuard(new WebhooksSettings(DataSize.ofKilobytes(256), Duration.ofSeconds(5),
            Duration.ofSeconds(15), 8, List.of("Localhost", "receiver.internal.test"), Duration.ofMinutes(30), Duration.ofHours(24), 4,
            Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofHours(24), 20, Duration.ofHours(24), 100, "webhooks-outbound",
            Duration.ofDays(30), Duration.ofHours(1)));

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "ftp://example.com/hook | http or https",
            "file:///etc/passwd | http or https",
            "gopher://8.8.8.8/ | http or https",
            "http://127.0.0.1:8080/hook | loopback",
            "http://[::1]/hook | loopback",
            "http://10.0.0.5/hook | private",
            "http://192.168.0.1/hook | private",
            "http://169.254.169.254/latest/meta-data | metadata",
            "http://[::ffff:169.254.169.254]/ | metadata",
            "http://[::ffff:127.0.0.1]/ | loopback",
            "http://[::ffff:0:127.0.0.1]/ | loopback",
            "http://[::ffff:0:a9fe:a9fe]/ | metadata",
            "http://[::ffff:0:8.8.8.8]/ | reserved",
            "http://[64:ff9b:1::808:808]/ | private",
            "http://[64:ff9b:1::7f00:1]/ | private",
            "http://[64:ff9b::a9fe:a9fe]/ | metadata",
            "http://[::127.0.0.1]/ | loopback",
            "http://[2002:7f00:1::]/ | loopback",
            "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/ | loopback",
            "http://[fd00::1]/ | unique-local",
            "http://[fe80::1]/ | link-local",
            "http://0.0.0.0/ | unspecified",
            "http://224.0.0.1/ | multicast",
            "http://user:pw@8.8.8.8/ | credentials",
            "http://does-not-exist.invalid/ | cannot be resolved",
            "http://0177.0.0.1/ | four decimal numbers",
            "http://8.8.8.010/ | four decimal numbers",
    })
    void refuses(String url, String reason) {
        assertThatThrownBy(() -> guard.check(URI.create(url))).isInstanceOf(DestinationGuard.RefusedDestination.class)
            .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://8.8.8.8/hook", "http://[2606:4700:4700::1111]/", "http://[64:ff9b::808:808]/", "http://localhost:9000/hook",
            "http://LOCALHOST/hook", "http://receiver.internal.test/hook" })
    void allowsPublicAndAllowListedHosts(String url) {
        assertThatCode(() -> guard.check(URI.create(url))).doesNotThrowAnyException();
    }
}
