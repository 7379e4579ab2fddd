package quartet.platform.security;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates a request that carries a known {@code X-API-Key}; the principal is the client name,
 * and an admin client also has {@link #ADMIN}. */
class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    /** Every authenticated client has this authority. */
    static final String CLIENT = "ROLE_API_CLIENT";
    /** Clients that see and manage every client's resources have this one too. */
    static final String ADMIN = "ROLE_ADMIN";

    private final ApiKeys keys;
    private final Set<String> adminClients;

    ApiKeyAuthenticationFilter(ApiKeys keys, Set<String> adminClients) {
        this.keys = keys;
        this.adminClients = Set.copyOf(adminClients);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented != null) {
            keys.clientFor(presented).ifPresent(client -> {
                var authorities = adminClients.contains(client)
                        ? List.of(new SimpleGrantedAuthority(CLIENT), new SimpleGrantedAuthority(ADMIN))
                        : List.of(new SimpleGrantedAuthority(CLIENT));
                var authentication = UsernamePasswordAuthenticationToken.authenticated(client, null, authorities);
                SecurityContextHolder.getContext().setAuthentication(authentication);
            });
        }
        chain.doFilter(request, response);
    }
}
