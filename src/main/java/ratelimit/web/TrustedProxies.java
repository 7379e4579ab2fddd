package ratelimit.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The proxies whose X-Forwarded-For we believe, as addresses or CIDR ranges. Only literal
 * IP addresses are accepted (no DNS lookups on the request path).
 */
final class TrustedProxies {

    private record Range(byte[] network, int prefixLength) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits)
                .subtract(BigInteger.ONE)
                .shiftRight(prefixLength)
                .xor(BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Range> ranges;

    TrustedProxies(List<String> entries) {
        this.ranges = entries.stream().map(TrustedProxies::parse).toList();
    }

    boolean trusts(String address) {
        byte[] bytes = literal(address);
        return bytes != null && ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    private static Range parse(String entry) {
        String[] parts = entry.trim().split("/", 2);
        byte[] network = literal(parts[0]);
        if (network == null) {
            throw new IllegalArgumentException("Not an IP address or CIDR range: " + entry);
        }
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("Bad prefix length in " + entry);
        }
        return new Range(network, prefix);
    }

    /**
     * The address's bytes if it is an IP literal; null for anything else (never resolves
     * names).
     */
    static byte @Nullable [] literal(@Nullable String value) {
        String candidate = value == null ? "" : value.trim();
        if (candidate.startsWith("[") && candidate.endsWith("]")) {
            candidate = candidate.substring(1, candidate.length() - 1);
        }
        boolean ipv4 = candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = candidate.contains(":") && candidate.matches("[0-9a-fA-F:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(candidate).getAddress();
        }
        catch (UnknownHostException e) {
            return null;
        }
    }

}
