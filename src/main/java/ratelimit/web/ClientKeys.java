package ratelimit.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import ratelimit.ClientAddresses;

/**
 * Works out whose bucket a request spends from.
 *
 * <p>
 * An IPv4 client is its address. An IPv6 client is its network of
 * {@code ipv6PrefixLength} bits (default /64, the size of one subscriber's LAN): one host
 * can take any of 2^64 addresses in its /64 at no cost, so keyed by /128 it could fill a
 * limiter's key table alone and spend a fresh bucket per address. An IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) is the IPv4 client it maps.
 */
public final class ClientKeys implements ClientAddresses {

    public static final int DEFAULT_IPV6_PREFIX_LENGTH = 64;

    private final TrustedProxies trustedProxies;

    private final int ipv6PrefixLength;

    public ClientKeys(List<String> trustedProxies) {
        this(trustedProxies, DEFAULT_IPV6_PREFIX_LENGTH);
    }

    public ClientKeys(List<String> trustedProxies, int ipv6PrefixLength) {
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalArgumentException(
                    "The IPv6 prefix length must be between 1 and 128 but was " + ipv6PrefixLength);
        }
        this.trustedProxies = new TrustedProxies(trustedProxies);
        this.ipv6PrefixLength = ipv6PrefixLength;
    }

    /**
     * The client's IP. X-Forwarded-For is read right to left, skipping our trusted
     * proxies, and only when the connection itself comes from one: anyone else can write
     * that header.
     */
    @Override
    public String clientIp(HttpServletRequest request) {
        String peer = request.getRemoteAddr();
        if (!trustedProxies.trusts(peer)) {
            return peer;
        }
        String forwarded = String.join(",", java.util.Collections.list(request.getHeaders("X-Forwarded-For")));
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) {
                continue;
            }
            if (TrustedProxies.literal(hop) == null) {
                return peer; // a malformed hop: believe nothing further left of it
            }
            if (!trustedProxies.trusts(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /** The authenticated client's name, or the IP for anonymous requests. */
    public String client(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            return "client:" + authentication.getName();
        }
        return ip(request);
    }

    /**
     * A digest of the presented API key (never the key itself), or the IP without one.
     */
    public String apiKey(HttpServletRequest request) {
        String key = request.getHeader("X-API-Key");
        if (key == null || key.isBlank()) {
            return ip(request);
        }
        return "key:" + HexFormat.of().formatHex(sha256(key), 0, 12);
    }

    /**
     * {@link #ip}'s key for an address known without a servlet request (a gRPC call's
     * peer).
     */
    public String ipKey(String ip) {
        return "ip:" + network(ip);
    }

    /** {@link #client}'s key for a call known without a servlet request. */
    public String clientKey(@Nullable String client, String ip) {
        return client == null ? ipKey(ip) : "client:" + client;
    }

    /** {@link #apiKey}'s key for a call known without a servlet request. */
    public String apiKeyKey(@Nullable String apiKey, String ip) {
        return apiKey == null || apiKey.isBlank() ? ipKey(ip)
                : "key:" + HexFormat.of().formatHex(sha256(apiKey), 0, 12);
    }

    /**
     * The client's IP as a bucket key: the IPv4 address, or the IPv6 network (see the
     * class comment).
     */
    public String ip(HttpServletRequest request) {
        return "ip:" + network(clientIp(request));
    }

    /**
     * The address as a key: IPv4 as is, IPv6 cut to its prefix in RFC 5952 form; anything
     * else unchanged.
     */
    String network(String ip) {
        byte[] address = TrustedProxies.literal(ip);
        if (address == null) {
            // not an IP literal (a container's unusual remote address): its own key
            return ip;
        }
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "."
                    + (address[3] & 0xff);
        }
        for (int bit = ipv6PrefixLength; bit < 128; bit++) {
            address[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return ipv6Text(address) + "/" + ipv6PrefixLength;
    }

    /**
     * RFC 5952: lower-case hex groups without leading zeros, the longest run of two or
     * more zero groups as "::".
     */
    private static String ipv6Text(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xff) << 8 | address[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
