package quartet.platform.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall, with header values as HTTP defines them. Tomcat
 * reads a header's bytes as ISO-8859-1, so UTF-8 text such as {@code User-Agent: ключ}
 * arrives with characters in U+0080..U+009F, which the default rule refuses by throwing
 * from {@code getHeader} deep inside the application (a 500 with a stack trace per
 * request). RFC 9110 allows those bytes ({@code obs-text}); control characters stay
 * refused. Headers with a meaning still check their own form: an Idempotency-Key must be
 * visible ASCII.
 */
@Configuration(proxyBeanMethods = false)
class HeaderValues {

    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderValues(HeaderValues::isFieldValue);
        return firewall;
    }

    /** Visible ASCII, space, tab and obs-text (0x80..0xFF): RFC 9110's field-value. */
    static boolean isFieldValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c == '\t' || (c >= 0x20 && c < 0x7f) || (c >= 0x80 && c <= 0xff))) {
                return false;
            }
        }
        return true;
    }

}
