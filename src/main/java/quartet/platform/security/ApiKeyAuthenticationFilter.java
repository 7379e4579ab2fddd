package quartet.platform.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import ratelimit.RateLimitDecision;

/**
 * Authenticates a request that carries a known {@code X-API-Key}; the principal is the
 * client name, and an admin client also has {@link #ADMIN}. A key that matches none is a
 * failed authentication on any route (on a public one it would still tell a right key
 * from a wrong one); past the address's allowance the request ends here with 429.
 */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    /** Every authenticated client has this authority. */
    static final String CLIENT = "ROLE_API_CLIENT";

    /** Clients that see and manage every client's resources have this one too. */
    static final String ADMIN = "ROLE_ADMIN";

    private final ApiKeys keys;

    private final Set<String> adminClients;

    private final FailedAuthentications failures;

    ApiKeyAuthenticationFilter(ApiKeys keys, Set<String> adminClients, FailedAuthentications failures) {
        this.keys = keys;
        this.adminClients = Set.copyOf(adminClients);
        this.failures = failures;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented != null) {
            Optional<String> client = keys.clientFor(presented);
            if (client.isPresent()) {
                authenticate(client.get());
            }
            else {
                RateLimitDecision decision = failures.record(request, FailedAuthentications.Reason.WRONG_KEY);
                if (decision != null && !decision.allowed()) {
                    failures.reject(request, response, decision);
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    private void authenticate(String client) {
        SecurityContextHolder.getContext().setAuthentication(authentication(client, adminClients));
    }

    /** The authentication of a client whose key matched: the same over HTTP and gRPC. */
    static Authentication authentication(String client, Set<String> adminClients) {
        var authorities = adminClients.contains(client)
                ? List.of(new SimpleGrantedAuthority(CLIENT), new SimpleGrantedAuthority(ADMIN))
                : List.of(new SimpleGrantedAuthority(CLIENT));
        return UsernamePasswordAuthenticationToken.authenticated(client, null, authorities);
    }

}
