package ratelimit;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import ratelimit.web.ClientKeys;
import tools.jackson.databind.json.JsonMapper;

/** Puts the rate limit filter in front of every route, right after authentication. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    /**
     * Also published as {@link ClientAddresses}, so code that limits by address agrees
     * with the filter.
     */
    @Bean
    ClientKeys clientKeys(RateLimitSettings settings) {
        return new ClientKeys(settings.trustedProxies(), settings.ipv6PrefixLength());
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "quartet.ratelimit.enabled", matchIfMissing = true)
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(PolicyRateLimiter limiter, ClientKeys keys, JsonMapper json,
            MeterRegistry meters) {
        var filter = new RateLimitFilter(limiter, limiter.policies(), keys, json, meters);
        var registration = new FilterRegistrationBean<>(filter);
        // After Spring Security's chain has authenticated the request, so the client is
        // known.
        registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
        return registration;
    }

}
