package shortener.domain;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import network.AddressClass;
import network.IpLiterals;

/**
 * Which hosts a link may send people to: not this shortener (a loop), and not loopback,
 * private, link-local or otherwise internal addresses, whether written as a literal or a
 * name resolving to one, unless the host is allow-listed. What counts as internal is
 * {@link AddressClass}'s call, the same classifier webhooks use. A name that does not
 * resolve is accepted: it proves nothing about where it will point, and refusing it would
 * refuse links to hosts not live yet.
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

    private final String ownHost;

    private final Set<String> allowedPrivateHosts;

    private final HostResolver resolver;

    public TargetPolicy(URI baseUrl, Collection<String> allowedPrivateHosts, HostResolver resolver) {
        this.ownHost = baseUrl.getHost().toLowerCase(Locale.ROOT);
        this.allowedPrivateHosts = allowedPrivateHosts.stream()
            .map(host -> host.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /**
     * Throws {@link InvalidLinkException} when the target is not an acceptable
     * destination.
     */
    public void check(TargetUrl target) {
        String host = target.host();
        if (host.equals(ownHost)) {
            throw new InvalidLinkException("targetUrl", "must not point back at this shortener");
        }
        if (allowedPrivateHosts.contains(host)) {
            return;
        }
        if (IpLiterals.isAmbiguousIpv4(host)) {
            throw new InvalidLinkException("targetUrl", "must write an IPv4 address as four decimal numbers");
        }
        for (InetAddress address : addressesOf(host)) {
            if (isInternal(address)) {
                throw new InvalidLinkException("targetUrl",
                        "must not point at a loopback, private or link-local address");
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

    private static boolean isInternal(InetAddress address) {
        return !AddressClass.of(address).isPublic();
    }

}
