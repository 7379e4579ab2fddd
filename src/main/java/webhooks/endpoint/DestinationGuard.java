package webhooks.endpoint;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import network.AddressClass;
import network.IpLiterals;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import webhooks.AllowedPrivateUrls;
import webhooks.WebhooksSettings;

/**
 * Refuses webhook destinations that would let a caller reach inside our network
 * (server-side request forgery): anything but http(s), and hosts resolving to loopback,
 * private, link-local, cloud metadata, multicast, unspecified or reserved addresses
 * ({@link AddressClass}, shared with the shortener), unless the host is allow-listed in
 * {@code quartet.webhooks.allowed-private-hosts} or the URL is exactly one of the
 * {@link AllowedPrivateUrls}. Run at registration, before each delivery, and at every
 * connection by the delivery client's resolver, which connects only to the addresses
 * checked here: a name that later resolves inwards (DNS rebinding) is caught too.
 */
@Component
public class DestinationGuard {

    private final Set<String> allowedHosts;

    private final Supplier<List<URI>> allowedUrls;

    private final HostLookup lookup;

    @Autowired
    DestinationGuard(WebhooksSettings settings, ObjectProvider<AllowedPrivateUrls> allowedUrls) {
        this(settings.allowedPrivateHosts(),
                () -> allowedUrls.orderedStream().flatMap(urls -> urls.urls().stream()).toList(), HostLookup.SYSTEM);
    }

    private DestinationGuard(Collection<String> allowedPrivateHosts, Supplier<List<URI>> allowedUrls,
            HostLookup lookup) {
        this.allowedHosts = allowedPrivateHosts.stream()
            .map(host -> host.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
        this.allowedUrls = allowedUrls;
        this.lookup = lookup;
    }

    /**
     * A guard that resolves names through the given lookup instead of the system resolver
     * (tests use it to play a DNS server whose answers change).
     */
    public static DestinationGuard withLookup(Collection<String> allowedPrivateHosts, HostLookup lookup) {
        return new DestinationGuard(allowedPrivateHosts, List::of, lookup);
    }

    /**
     * A guard with exact private URLs besides the allow-listed hosts, resolving through
     * the given lookup.
     */
    public static DestinationGuard withLookup(Collection<String> allowedPrivateHosts, AllowedPrivateUrls allowedUrls,
            HostLookup lookup) {
        return new DestinationGuard(allowedPrivateHosts, () -> List.copyOf(allowedUrls.urls()), lookup);
    }

    /**
     * Checks one destination: its form and the addresses its host resolves to now.
     * @throws RefusedDestination with a reason a client can act on
     */
    public void check(URI url) {
        String host = checkForm(url);
        if (!isAllowListed(host)) {
            allowedAddresses(host);
        }
    }

    /**
     * The checks of the URL itself: http(s), a host, no credentials, and on a host that
     * only some {@link AllowedPrivateUrls} open, either exactly one of those URLs or
     * public addresses (the one case that looks the name up here: the resolver that
     * connects sees the host, not the port and path). The addresses are checked by
     * {@link #allowedAddresses(String)} when a connection is opened.
     * @return the URL's host
     * @throws RefusedDestination with a reason a client can act on
     */
    public String checkForm(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedDestination("The URL must use http or https.");
        }
        String host = url.getHost();
        if (host == null || host.isBlank()) {
            throw new RefusedDestination("The URL has no host.");
        }
        if (url.getUserInfo() != null) {
            throw new RefusedDestination("The URL must not carry credentials.");
        }
        String bareHost = bare(host).toLowerCase(Locale.ROOT);
        if (!isAllowListed(bareHost) && isOpenedForSomeUrls(bareHost)
                && allowedUrls.get().stream().noneMatch(allowed -> sameDestination(allowed, url))) {
            // any other URL on that host is judged like a URL on any host
            publicAddresses(bareHost, host);
        }
        return host;
    }

    /**
     * Resolves a host once and returns its addresses if webhooks may reach every one of
     * them. The delivery client connects only to the addresses returned here, so what was
     * checked is what is connected to, whatever the name resolves to a moment later.
     * @param host a host name or IP literal (an IPv6 literal with or without brackets)
     * @throws RefusedDestination if the host does not resolve or any of its addresses is
     * refused
     */
    public List<InetAddress> allowedAddresses(String host) {
        String bareHost = bare(host);
        if (isAllowListed(bareHost)) {
            return List.of(resolve(bareHost));
        }
        if (isOpenedForSomeUrls(bareHost)) {
            // Only a URL that passed checkForm gets here: exactly an allowed URL, or one
            // on a host with public addresses.
            return List.of(resolve(bareHost));
        }
        return publicAddresses(bareHost, host);
    }

    private List<InetAddress> publicAddresses(String bareHost, String host) {
        if (IpLiterals.isAmbiguousIpv4(bareHost)) {
            // Java reads 0177.0.0.1 as 177.0.0.1, curl and browsers as 127.0.0.1: refuse
            // what readers disagree on.
            throw new RefusedDestination("The host " + host + " must write an IPv4 address as four decimal numbers.");
        }
        InetAddress[] addresses = resolve(bareHost);
        for (InetAddress address : addresses) {
            AddressClass kind = AddressClass.of(address);
            if (!kind.isPublic()) {
                throw new RefusedDestination("The host " + host + " resolves to a " + kind.label()
                        + " address, which webhooks may not reach.");
            }
        }
        return List.of(addresses);
    }

    private boolean isOpenedForSomeUrls(String bareHost) {
        return allowedUrls.get().stream().anyMatch(allowed -> bare(allowed.getHost()).equalsIgnoreCase(bareHost));
    }

    /**
     * Same scheme, host, port (the scheme's default if none) and raw path and query: the
     * route an allowed URL opens.
     */
    private static boolean sameDestination(URI allowed, URI url) {
        return allowed.getScheme().equalsIgnoreCase(url.getScheme())
                && bare(allowed.getHost()).equalsIgnoreCase(bare(url.getHost())) && port(allowed) == port(url)
                && pathOf(allowed).equals(pathOf(url)) && Objects.equals(allowed.getRawQuery(), url.getRawQuery());
    }

    private static int port(URI url) {
        if (url.getPort() != -1) {
            return url.getPort();
        }
        return url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String pathOf(URI url) {
        String path = url.getRawPath();
        return path == null || path.isEmpty() ? "/" : path;
    }

    private boolean isAllowListed(String host) {
        return allowedHosts.contains(bare(host).toLowerCase(Locale.ROOT));
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private InetAddress[] resolve(String host) {
        InetAddress[] addresses;
        try {
            addresses = lookup.resolve(host);
        }
        catch (UnknownHostException e) {
            throw new RefusedDestination("The host " + host + " cannot be resolved.");
        }
        if (addresses == null || addresses.length == 0) {
            throw new RefusedDestination("The host " + host + " cannot be resolved.");
        }
        return addresses;
    }

    /** Name resolution, a seam for tests; the system resolver in production. */
    @FunctionalInterface
    public interface HostLookup {

        HostLookup SYSTEM = InetAddress::getAllByName;

        InetAddress[] resolve(String host) throws UnknownHostException;

    }

    /** A destination webhooks may not call. */
    public static class RefusedDestination extends RuntimeException {

        RefusedDestination(String reason) {
            super(reason);
        }

    }

}
