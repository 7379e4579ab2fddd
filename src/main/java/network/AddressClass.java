package network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;

/**
 * What kind of network an address belongs to, as far as server-side request forgery goes:
 * the one classifier of every module that connects to, or sends people to, a URL a client
 * chose. Only {@link #PUBLIC} addresses are globally reachable; every IPv6 form that
 * carries an IPv4 address inside is judged by that address too, so no spelling of
 * 127.0.0.1 passes.
 */
public enum AddressClass {

    /** Globally reachable unicast. */
    PUBLIC,
    /** 127.0.0.0/8 and ::1. */
    LOOPBACK,
    /**
     * RFC 1918, carrier-grade NAT, deprecated site-local fec0::/10 and the local-use
     * NAT64 prefix.
     */
    PRIVATE,
    /** 169.254.0.0/16 and fe80::/10. */
    LINK_LOCAL,
    /** The cloud instance metadata address 169.254.169.254. */
    METADATA,
    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST,
    /** 0.0.0.0 and ::. */
    UNSPECIFIED,
    /** fc00::/7, which also holds cloud metadata addresses such as fd00:ec2::254. */
    UNIQUE_LOCAL,
    /**
     * Documentation, benchmarking, protocol assignments, deprecated forms and unallocated
     * space.
     */
    RESERVED;

    private static final byte[] METADATA_V4 = { (byte) 169, (byte) 254, (byte) 169, (byte) 254 };

    public boolean isPublic() {
        return this == PUBLIC;
    }

    /** The class as prose: {@code unique-local}, {@code link-local}, {@code public}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static AddressClass of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(bytes);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(bytes);
        }
        return RESERVED;
    }

    /**
     * For tests and literals only: parses an IP literal; a host name is refused, never
     * looked up.
     */
    public static AddressClass ofLiteral(String literal) {
        String bare = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1)
                : literal;
        if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
            throw new IllegalArgumentException("Not an IP literal: " + literal);
        }
        try {
            return of(InetAddress.getByName(bare));
        }
        catch (UnknownHostException e) {
            throw new IllegalArgumentException("Not an IP literal: " + literal, e);
        }
    }

    private static AddressClass ofIpv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        int third = b[2] & 0xff;
        if (Arrays.equals(b, METADATA_V4)) {
            return METADATA;
        }
        if (first == 0 && second == 0 && third == 0 && b[3] == 0) {
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
        if (first == 0 || first >= 240) {
            return RESERVED; // this network; class E and the broadcast address
        }
        if ((first == 192 && second == 0 && (third == 0 || third == 2))
                || (first == 198 && second == 51 && third == 100) || (first == 203 && second == 0 && third == 113)) {
            return RESERVED; // protocol assignments; the three documentation networks
        }
        if ((first == 198 && (second == 18 || second == 19)) || (first == 192 && second == 88 && third == 99)) {
            return RESERVED; // benchmarking; the retired 6to4 relay anycast
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (allZero(b, 0, 16)) {
            return UNSPECIFIED;
        }
        if (allZero(b, 0, 15) && b[15] == 1) {
            return LOOPBACK;
        }
        if (allZero(b, 0, 10) && isFfff(b, 10)) {
            // mapped ::ffff:a.b.c.d: the socket connects to the IPv4 address
            return ofIpv4(bytes(b, 12));
        }
        if (allZero(b, 0, 8) && isFfff(b, 8) && allZero(b, 10, 12)) {
            // translated ::ffff:0:a.b.c.d (SIIT), never global
            return refusedForm(ofIpv4(bytes(b, 12)));
        }
        if (allZero(b, 0, 12)) {
            return refusedForm(ofIpv4(bytes(b, 12))); // compatible ::a.b.c.d, deprecated
        }
        if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (allZero(b, 4, 12)) {
                // well-known NAT64 64:ff9b::/96: the translator connects to the IPv4
                // address
                return ofIpv4(bytes(b, 12));
            }
            if (b[4] == 0x00 && b[5] == 0x01) {
                // local-use NAT64 64:ff9b:1::/48, translated inside someone's own network
                return PRIVATE;
            }
            return RESERVED;
        }
        if (first == 0x20 && second == 0x01 && b[2] == 0 && b[3] == 0) {
            // Teredo 2001::/32: the server's IPv4 in bytes 4 to 7, the client's inverted
            // in bytes 12 to 15
            byte[] client = bytes(b, 12);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i];
            }
            return worst(ofIpv4(bytes(b, 4)), ofIpv4(client));
        }
        if (first == 0x20 && second == 0x02) {
            // 6to4 2002::/16 carries an IPv4 address in bytes 2 to 5
            return ofIpv4(bytes(b, 2));
        }
        if (first == 0xff) {
            return MULTICAST;
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return PRIVATE; // deprecated site-local
        }
        if ((first & 0xfe) == 0xfc) {
            return UNIQUE_LOCAL;
        }
        if ((first & 0xe0) != 0x20) {
            // outside 2000::/3, the only global unicast space: discard-only 100::/64,
            // unallocated
            return RESERVED;
        }
        if (first == 0x20 && second == 0x01 && (b[2] & 0xfe) == 0) {
            // IETF protocol assignments 2001::/23: benchmarking 2001:2::/48 and the
            // ORCHID prefixes are not reachable
            int third = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            if ((third == 2 && b[4] == 0 && b[5] == 0) || (third & 0xfff0) == 0x10 || (third & 0xfff0) == 0x20) {
                return RESERVED;
            }
        }
        if ((first == 0x20 && second == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8)
                || (first == 0x3f && second == 0xff && (b[2] & 0xf0) == 0)) {
            return RESERVED; // documentation 2001:db8::/32 and 3fff::/20
        }
        return PUBLIC;
    }

    /**
     * A form nobody reaches the internet through: refused, named by the IPv4 inside when
     * that says more.
     */
    private static AddressClass refusedForm(AddressClass embedded) {
        return embedded.isPublic() ? RESERVED : embedded;
    }

    private static AddressClass worst(AddressClass one, AddressClass other) {
        return one.isPublic() ? other : one;
    }

    private static boolean isFfff(byte[] b, int at) {
        return (b[at] & 0xff) == 0xff && (b[at + 1] & 0xff) == 0xff;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] bytes(byte[] b, int from) {
        return Arrays.copyOfRange(b, from, from + 4);
    }

}
