package webhooks.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;
import webhooks.endpoint.DestinationGuard;

/**
 * The delivery client's only name resolution: each connection resolves its host once
 * through the destination guard and gets only addresses the guard allowed, so the socket
 * connects to exactly what was checked. A rebinding DNS server cannot slip a private
 * address in between.
 */
final class GuardedDnsResolver implements DnsResolver {

    private final DestinationGuard guard;

    GuardedDnsResolver(DestinationGuard guard) {
        this.guard = guard;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return guard.allowedAddresses(host).toArray(InetAddress[]::new);
        }
        catch (DestinationGuard.RefusedDestination e) {
            throw new RefusedAddress(e.getMessage());
        }
    }

    /**
     * Only used for Kerberos service names, which webhooks never use: no second lookup.
     */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    /** The guard refused the addresses a host resolved to; the message says why. */
    static final class RefusedAddress extends UnknownHostException {

        RefusedAddress(String reason) {
            super(reason);
        }

    }

}
