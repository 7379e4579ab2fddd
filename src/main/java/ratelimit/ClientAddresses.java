package ratelimit;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address a request comes from, as HoldUp keys its per-IP buckets: the peer, or the
 * client named in X-Forwarded-For when the peer is one of
 * {@code quartet.ratelimit.trusted-proxies}.
 */
public interface ClientAddresses {

    String clientIp(HttpServletRequest request);

}
