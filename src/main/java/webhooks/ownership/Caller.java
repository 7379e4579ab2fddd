package webhooks.ownership;

import java.util.Map;

import org.springframework.security.core.Authentication;

/**
 * The API client a request acts for. Everything DispatchGo stores for the API belongs to
 * the client that created it; queries take the caller and filter by owner, so another
 * client's resource is simply not found (404, never 403: no existence oracle). An admin
 * client sees and manages every client's.
 *
 * @param client the client's name, the authenticated principal's name
 * @param admin whether the client has the admin role
 */
public record Caller(String client, boolean admin) {

    /** The authority an admin client's authentication carries. */
    static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

    public static Caller of(Authentication authentication) {
        boolean admin = authentication.getAuthorities()
            .stream()
            .anyMatch(granted -> ADMIN_AUTHORITY.equals(granted.getAuthority()));
        return new Caller(authentication.getName(), admin);
    }

    /**
     * The parameters of the owner condition {@code (:admin OR owner = :client)} that SQL
     * for the API adds to its WHERE clause.
     */
    public Map<String, Object> ownerParams() {
        return Map.of("admin", admin, "client", client);
    }
}
