package webhooks.endpoint;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** What kind of network an address belongs to, as far as server-side request forgery goes. */
enum AddressClass {

    PUBLIC, LOOPBACK, PRIVATE, LINK_LOCAL, METADATA, MULTICAST, UNSPECIFIED, UNIQUE_LOCAL, RESERVED;

    private static final byte[] METADATA_V4 = { (byte) 169, (byte) 254, (byte) 169, (byte) 254 };

    boolean isPublic() {
        return this == PUBLIC;
    }

    static AddressClass of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(bytes);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(bytes);
        }
        return RESERVED;
    }

    private static AddressClass ofIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (java.util.Arrays.equals(b, METADATA_V4)) {
            return METADATA;
        }
        if (first == 0 && second == 0 && b[2] == 0 && b[3] == 0) {
            return UNSPECIFIED;
        }
        if (first == 127) {
            return LOOPBACK;
        }
        if (first == 10 || (first == 172 && second >= 16 && second <= 31) || (first == 192 && second == 168)) {
            return PRIVATE;
        }
        if (first == 100 && second >= 64 && second <= 127) {
            return PRIVATE; // carrier-grade NAT, shared address space
        }
        if (first == 169 && second == 254) {
            return LINK_LOCAL;
        }
        if (first >= 224 && first <= 239) {
            return MULTICAST;
        }
        if (first == 0 || first >= 240 || (first == 198 && (second == 18 || second == 19))
                || (first == 192 && second == 0 && b[2] == 0)) {
            return RESERVED; // this network, class E and broadcast, benchmarking, protocol assignments
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(byte[] b) {
        if (allZero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (allZero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        // IPv4 embedded in IPv6: mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return ofIpv4(last4(b));
        }
        if (allZero(b, 0, 12)) {
            return ofIpv4(last4(b));
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            return ofIpv4(last4(b));
        }
        if (b[0] == 0x20 && b[1] == 0x02) { // 6to4 carries an IPv4 address in bytes 2 to 5
            AddressClass embedded = ofIpv4(new byte[] { b[2], b[3], b[4], b[5] });
            return embedded.isPublic() ? PUBLIC : embedded;
        }
        int first = b[0] & 0xff;
        if (first == 0xff) {
            return MULTICAST;
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if (first == 0xfe && (b[1] & 0xc0) == 0xc0) {
            return PRIVATE; // deprecated site-local
        }
        if ((first & 0xfe) == 0xfc) {
            return UNIQUE_LOCAL; // fc00::/7, including cloud metadata addresses such as fd00:ec2::254
        }
        if (first == 0x20 && b[1] == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) {
            return RESERVED; // documentation
        }
        return PUBLIC;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] last4(byte[] b) {
        return new byte[] { b[12], b[13], b[14], b[15] };
    }

    /** For tests and literals only: parses an address without any name lookup. */
    static AddressClass ofLiteral(String literal) {
        try {
            return of(InetAddress.getByName(literal));
        }
        catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP literal: " + literal, e);
        }
    }
}
