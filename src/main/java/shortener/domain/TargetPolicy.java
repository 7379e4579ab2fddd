package shortener.domain;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which hosts a link may send people to: not this shortener (a loop), and not loopback, private,
 * link-local or otherwise internal addresses, whether written as a literal or a name resolving to
 * one, unless the host is allow-listed. A name that does not resolve is accepted: it proves
 * nothing about where it will point, and refusing it would refuse links to hosts not live yet.
 */
public final class TargetPolicy {

    /** Resolves a host name (or parses an IP literal) to its addresses. */
    @FunctionalInterface
    public interface HostResolver {

        InetAddress[] resolve(String host) throws UnknownHostException;

        static HostResolver dns() {
            return InetAddress::getAllByName;
        }
    }

    // Hosts made of numbers and hex numbers: browsers read 0x7f.1 or 2130706433 as IP addresses.
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
    private static final Pattern DOTTED_QUAD = Pattern.compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private final String ownHost;
    private final Set<String> allowedPrivateHosts;
    private final HostResolver resolver;

    public TargetPolicy(URI baseUrl, Collection<String> allowedPrivateHosts, HostResolver resolver) {
        this.ownHost = baseUrl.getHost().toLowerCase(Locale.ROOT);
        this.allowedPrivateHosts = allowedPrivateHosts.stream().map(host -> host.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /** Throws {@link InvalidLinkException} when the target is not an acceptable destination. */
    public void check(TargetUrl target) {
        String host = target.host();
        if (host.equals(ownHost)) {
            throw new InvalidLinkException("targetUrl", "must not point back at this shortener");
        }
        if (allowedPrivateHosts.contains(host)) {
            return;
        }
        if (NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches()) {
            throw new InvalidLinkException("targetUrl", "must write an IPv4 address as four decimal numbers");
        }
        for (InetAddress address : addressesOf(host)) {
            if (isInternal(address)) {
                throw new InvalidLinkException("targetUrl", "must not point at a loopback, private or link-local address");
            }
        }
    }

    private InetAddress[] addressesOf(String host) {
        try {
            return resolver.resolve(host);
        }
        catch (UnknownHostException e) {
            return new InetAddress[0];
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            // 0.0.0.0/8 (this network) and 100.64.0.0/10 (carrier-grade NAT, shared address space)
            return first == 0 || (first == 100 && second >= 64 && second < 128);
        }
        // fc00::/7, unique local IPv6 addresses (Java's isSiteLocalAddress only knows the deprecated fec0::/10)
        if ((bytes[0] & 0xfe) == 0xfc) {
            return true;
        }
        byte[] embedded = embeddedIpv4(bytes);
        try {
            return embedded != null && isInternal(InetAddress.getByAddress(embedded));
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static byte[] embeddedIpv4(byte[] ipv6) {
        boolean compatible = true;
        boolean nat64 = ipv6[0] == 0 && ipv6[1] == 0x64 && ipv6[2] == (byte) 0xff && ipv6[3] == (byte) 0x9b;
        for (int i = 0; i < 12; i++) {
            compatible &= ipv6[i] == 0;
            nat64 &= i < 4 || ipv6[i] == 0;
        }
        if (compatible || nat64) {
            return java.util.Arrays.copyOfRange(ipv6, 12, 16);
        }
        if (ipv6[0] == 0x20 && ipv6[1] == 0x02) {
            return java.util.Arrays.copyOfRange(ipv6, 2, 6);
        }
        return null;
    }
}
