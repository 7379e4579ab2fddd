package quartet.platform.security;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only: tells the caller which client its key authenticated as, and with which
 * authorities.
 */
@RestController
class WhoAmITestController {

    record Caller(String client, List<String> authorities) {
    }

    @GetMapping("/api/test/whoami")
    Caller whoAmI(Authentication authentication) {
        return new Caller(authentication.getName(),
                authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).sorted().toList());
    }

}
