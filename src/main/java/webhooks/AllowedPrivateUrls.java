package webhooks;

import java.net.URI;
import java.util.Collection;

/**
 * Exact webhook destinations that may be reached although their host resolves to a
 * loopback or private address, such as a receiver inside this very application. Where an
 * entry of {@code quartet.webhooks.allowed-private-hosts} opens every port and path of a
 * host, each URL here opens one scheme, host, port and path, and nothing else on that
 * host. Beans of this type are asked at every check, so a URL can join once its port is
 * known.
 */
@FunctionalInterface
public interface AllowedPrivateUrls {

    /** The URLs allowed now; none while they are not known yet. */
    Collection<URI> urls();

}
