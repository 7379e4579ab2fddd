package network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressClassTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # IPv4
            8.8.8.8                    | PUBLIC
            93.184.216.34              | PUBLIC
            0.0.0.0                    | UNSPECIFIED
            0.1.2.3                    | RESERVED
            10.1.2.3                   | PRIVATE
            100.63.255.255             | PUBLIC
            100.64.0.1                 | PRIVATE
            100.127.255.255            | PRIVATE
            100.128.0.1                | PUBLIC
            127.0.0.1                  | LOOPBACK
            127.255.255.254            | LOOPBACK
            169.254.169.254            | METADATA
            169.254.1.1                | LINK_LOCAL
            172.15.255.255             | PUBLIC
            172.16.0.1                 | PRIVATE
            172.31.255.255             | PRIVATE
            172.32.0.1                 | PUBLIC
            192.0.0.8                  | RESERVED
            192.0.2.1                  | RESERVED
            192.88.99.1                | RESERVED
            192.168.1.1                | PRIVATE
            198.18.0.1                 | RESERVED
            198.19.255.255             | RESERVED
            198.51.100.7               | RESERVED
            203.0.113.9                | RESERVED
            224.0.0.1                  | MULTICAST
            239.255.255.250            | MULTICAST
            240.0.0.1                  | RESERVED
            255.255.255.255            | RESERVED
            # IPv6
            2606:4700:4700::1111       | PUBLIC
            2a00:1450:4001:82b::200e   | PUBLIC
            ::                         | UNSPECIFIED
            ::1                        | LOOPBACK
            fe80::1                    | LINK_LOCAL
            febf:ffff::1               | LINK_LOCAL
            fec0::1                    | PRIVATE
            fc00::1                    | UNIQUE_LOCAL
            fd00:ec2::254              | UNIQUE_LOCAL
            ff02::1                    | MULTICAST
            2001:db8::1                | RESERVED
            3fff::1                    | RESERVED
            2001:2::1                  | RESERVED
            2001:10::1                 | RESERVED
            2001:20::1                 | RESERVED
            100::1                     | RESERVED
            5f00::1                    | RESERVED
            4000::1                    | RESERVED
            # IPv4-mapped ::ffff:0:0/96: the IPv4 address inside decides
            ::ffff:127.0.0.1           | LOOPBACK
            ::ffff:7f00:1              | LOOPBACK
            ::ffff:10.0.0.1            | PRIVATE
            ::ffff:169.254.169.254     | METADATA
            ::ffff:8.8.8.8             | PUBLIC
            # IPv4-translated ::ffff:0:0:0/96: never public, named by the IPv4 address when it is internal
            ::ffff:0:127.0.0.1         | LOOPBACK
            ::ffff:0:7f00:1            | LOOPBACK
            ::ffff:0:10.0.0.1          | PRIVATE
            ::ffff:0:169.254.169.254   | METADATA
            ::ffff:0:8.8.8.8           | RESERVED
            # IPv4-compatible ::/96, deprecated: never public either
            ::127.0.0.1                | LOOPBACK
            ::10.0.0.1                 | PRIVATE
            ::8.8.8.8                  | RESERVED
            # well-known NAT64 64:ff9b::/96: the IPv4 address inside decides
            64:ff9b::a9fe:a9fe         | METADATA
            64:ff9b::127.0.0.1         | LOOPBACK
            64:ff9b::8.8.8.8           | PUBLIC
            # local-use NAT64 64:ff9b:1::/48, whatever it embeds, and the rest of 64:ff9b::/32
            64:ff9b:1::808:808         | PRIVATE
            64:ff9b:1:7f00:0:100::     | PRIVATE
            64:ff9b:1:ffff:ffff:ffff:ffff:ffff | PRIVATE
            64:ff9b:2::1               | RESERVED
            # 6to4 2002::/16: the IPv4 address in bytes 2 to 5 decides
            2002:7f00:1::              | LOOPBACK
            2002:c0a8:101::1           | PRIVATE
            2002:a9fe:a9fe::           | METADATA
            2002:0808:0808::           | PUBLIC
            # Teredo 2001::/32: the server (bytes 4 to 7) and the inverted client (bytes 12 to 15) decide
            2001:0:4136:e378:8000:63bf:f7f7:f7f7 | PUBLIC
            2001:0:4136:e378:8000:63bf:3fff:fdd2 | RESERVED
            2001:0:4136:e378:8000:63bf:80ff:fffe | LOOPBACK
            2001:0:7f00:1:8000:63bf:f7f7:f7f7    | LOOPBACK
            2001:0:4136:e378:8000:63bf:f5ff:fffe | PRIVATE
            2001:0:4136:e378:8000:63bf:5601:5601 | METADATA
            """)
    void classifiesAddresses(String literal, AddressClass expected) {
        assertThat(AddressClass.ofLiteral(literal)).isEqualTo(expected);
    }

    @Test
    void judgesAnIpv6AddressBuiltFromBytesLikeOneParsedFromText() throws Exception {
        // ::ffff:0:127.0.0.1 as a resolver hands it over: sixteen bytes, no text to
        // parse.
        byte[] translated = { 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 127, 0, 0, 1 };

        assertThat(AddressClass.of(InetAddress.getByAddress("translated.example", translated)))
            .isEqualTo(AddressClass.LOOPBACK);
    }

    @Test
    void onlyPublicIsPublic() {
        for (AddressClass kind : AddressClass.values()) {
            assertThat(kind.isPublic()).as(kind.name()).isEqualTo(kind == AddressClass.PUBLIC);
        }
    }

    @Test
    void namesEachClassInProse() {
        assertThat(AddressClass.UNIQUE_LOCAL.label()).isEqualTo("unique-local");
        assertThat(AddressClass.LINK_LOCAL.label()).isEqualTo("link-local");
    }

    @Test
    void refusesToLookUpAHostName() {
        assertThatThrownBy(() -> AddressClass.ofLiteral("localhost")).isInstanceOf(IllegalArgumentException.class);
    }

}
