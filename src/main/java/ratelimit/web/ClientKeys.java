package ratelimit.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import ratelimit.ClientAddresses;

/** Works out whose bucket a request spends from. */
public final class ClientKeys implements ClientAddresses {

    private final TrustedProxies trustedProxies;

    public ClientKeys(List<String> trustedProxies) {
        this.trustedProxies = new TrustedProxies(trustedProxies);
    }

    /**
     * The client's IP. X-Forwarded-For is read right to left, skipping our trusted proxies, and
     * only when the connection itself comes from one: anyone else can write that header.
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
        if (authentication != null && authentication.isAuthenticated() && !(authentication instanceof AnonymousAuthenticationToken)) {
            return "client:" + authentication.getName();
        }
        return ip(request);
    }

    /** A digest of the presented API key (never the key itself), or the IP without one. */
    public String apiKey(HttpServletRequest request) {
        String key = request.getHeader("X-API-Key");
        if (key == null || key.isBlank()) {
            return ip(request);
        }
        return "key:" + HexFormat.of().formatHex(sha256(key), 0, 12);
    }

    public String ip(HttpServletRequest request) {
        return "ip:" + clientIp(request);
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
