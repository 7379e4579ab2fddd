package shortener.web;

import org.springframework.security.core.Authentication;
import shortener.domain.Caller;

/** Who a request acts for, read from the authenticated API key. */
final class Callers {

    /** The authority an admin client's authentication carries. */
    static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

    private Callers() {
    }

    static Caller of(Authentication authentication) {
        boolean admin = authentication.getAuthorities()
            .stream()
            .anyMatch(granted -> ADMIN_AUTHORITY.equals(granted.getAuthority()));
        return new Caller(authentication.getName(), admin);
    }

}
