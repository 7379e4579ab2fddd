package webhooks.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "8.8.8.8, PUBLIC",
            "93.184.216.34, PUBLIC",
            "127.0.0.1, LOOPBACK",
            "127.255.255.254, LOOPBACK",
            "10.1.2.3, PRIVATE",
            "172.16.0.1, PRIVATE",
            "172.31.255.255, PRIVATE",
            "172.32.0.1, PUBLIC",
            "192.168.1.1, PRIVATE",
            "100.64.0.1, PRIVATE",
            "169.254.169.254, METADATA",
            "169.254.1.1, LINK_LOCAL",
            "224.0.0.1, MULTICAST",
            "239.255.255.250, MULTICAST",
            "0.0.0.0, UNSPECIFIED",
            "0.1.2.3, RESERVED",
            "255.255.255.255, RESERVED",
            "240.0.0.1, RESERVED",
            "2606:4700:4700::1111, PUBLIC",
            "::1, LOOPBACK",
            "::, UNSPECIFIED",
            "fe80::1, LINK_LOCAL",
            "fc00::1, UNIQUE_LOCAL",
            "fd00:ec2::254, UNIQUE_LOCAL",
            "ff02::1, MULTICAST",
            "::ffff:127.0.0.1, LOOPBACK",
            "::ffff:10.0.0.1, PRIVATE",
            "::ffff:169.254.169.254, METADATA",
            "::ffff:8.8.8.8, PUBLIC",
            "::127.0.0.1, LOOPBACK",
            "64:ff9b::a9fe:a9fe, METADATA",
            "2002:7f00:1::, LOOPBACK",
            "2002:0808:0808::, PUBLIC",
            "2001:db8::1, RESERVED",
    })
    void classifiesAddresses(String literal, AddressClass expected) {
        assertThat(AddressClass.ofLiteral(literal)).isEqualTo(expected);
    }
}
