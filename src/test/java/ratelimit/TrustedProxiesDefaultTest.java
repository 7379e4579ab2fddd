package ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.mock.web.MockHttpServletRequest;
import ratelimit.web.ClientKeys;

/**
 * As shipped (the main application.yaml, not the test overlay) no proxy is trusted, so a
 * peer next to the app cannot pick its own rate-limit bucket with X-Forwarded-For.
 */
class TrustedProxiesDefaultTest {

    @Test
    void theShippedConfigurationTrustsNoProxy() throws Exception {
        var environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("shipped", new ClassPathResource("application.yaml"))
            .forEach(source -> environment.getPropertySources().addFirst(source));

        RateLimitSettings settings = new Binder(ConfigurationPropertySources.get(environment))
            .bind("quartet.ratelimit", RateLimitSettings.class)
            .get();

        // the shipped file was the one bound
        assertThat(settings.policies()).isNotEmpty();
        assertThat(settings.trustedProxies()).isEmpty();
    }

    @Test
    void withoutTrustedProxiesForwardedForFromLoopbackIsIgnored() {
        var request = new MockHttpServletRequest();
        request.setRemoteAddr("127.0.0.1");
        request.addHeader("X-Forwarded-For", "198.51.100.7");

        assertThat(new ClientKeys(List.of()).clientIp(request)).isEqualTo("127.0.0.1");
    }

}
