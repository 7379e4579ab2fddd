package quartet.platform.security;

import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import quartet.platform.web.ProblemResponses;
import ratelimit.ClientAddresses;
import ratelimit.RateLimitDecision;
import ratelimit.RateLimitPolicies;
import ratelimit.RateLimiter;

/**
 * API keys guard the management APIs ({@code /api/**}) and the actuator beyond health and
 * info. Redirects, the dashboard, health (its details only for admins, see
 * application.yaml) and the API docs stay public; the demo routes only in demo mode.
 * Failed authentications are limited per client address ({@link FailedAuthentications}).
 * Stateless: no session, no CSRF token (no browser session to ride on).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlatformProperties.class)
class SecurityConfiguration {

    private static final Log log = LogFactory.getLog(SecurityConfiguration.class);

    @Bean
    FailedAuthentications failedAuthentications(RateLimiter limiter, RateLimitPolicies policies,
            ClientAddresses addresses, MeterRegistry meters, PlatformProperties properties) {
        return new FailedAuthentications(limiter, policies, addresses, meters,
                properties.failedAuth().limitPerMinute());
    }

    /**
     * The same keys on the gRPC port. Outermost of the gRPC interceptors: a call is
     * authenticated before it is rate limited or reaches a service, as an HTTP request
     * is.
     */
    @Bean
    @GlobalServerInterceptor
    @Order(Ordered.HIGHEST_PRECEDENCE)
    GrpcApiKeys grpcApiKeys(PlatformProperties properties, FailedAuthentications failures) {
        return new GrpcApiKeys(ApiKeys.parse(properties.apiKeys()), Set.copyOf(properties.adminClients()), failures);
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, PlatformProperties properties,
            FailedAuthentications failures, @Value("${quartet.demo.enabled:true}") boolean demo) throws Exception {
        ApiKeys keys = ApiKeys.parse(properties.apiKeys());
        properties.adminClients()
            .stream()
            .filter(admin -> !keys.clients().contains(admin))
            .forEach(admin -> log.warn("quartet.platform.admin-clients names " + admin
                    + ", which has no key in quartet.platform.api-keys"));
        http.csrf(csrf -> csrf.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .httpBasic(basic -> basic.disable())
            .formLogin(form -> form.disable())
            .logout(logout -> logout.disable())
            .requestCache(cache -> cache.disable())
            .addFilterBefore(new ApiKeyAuthenticationFilter(keys, Set.copyOf(properties.adminClients()), failures),
                    AnonymousAuthenticationFilter.class)
            .authorizeHttpRequests(requests -> {
                // Operators' views across every client: failed event publications and the
                // actuator's metrics.
                requests.requestMatchers("/api/events/**")
                    .hasRole("ADMIN")
                    .requestMatchers("/api/**")
                    .authenticated()
                    .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info")
                    .permitAll()
                    .requestMatchers("/actuator/**")
                    .hasRole("ADMIN")
                    .requestMatchers(HttpMethod.GET, "/docs", "/docs/**")
                    .permitAll();
                // The demo's receiver and limited route, and the dashboard's live stream,
                // are public only in demo mode.
                // Outside demo mode the stream (every client's events) is for admins.
                var demoRoutes = requests.requestMatchers("/demo/**", "/dashboard/stream");
                if (demo) {
                    demoRoutes.permitAll();
                }
                else {
                    demoRoutes.hasRole("ADMIN");
                }
                requests.anyRequest().permitAll();
            })
            .exceptionHandling(errors -> errors.authenticationEntryPoint((request, response, e) -> {
                // A wrong key was counted by the filter already; here only a missing one
                // is new.
                RateLimitDecision decision = failures.record(request, FailedAuthentications.Reason.MISSING_KEY);
                if (decision != null && !decision.allowed()) {
                    failures.reject(request, response, decision);
                    return;
                }
                response.setHeader("WWW-Authenticate", "ApiKey header=\"" + ApiKeyAuthenticationFilter.HEADER + "\"");
                ProblemResponses.write(response,
                        ProblemResponses.problem(HttpStatus.UNAUTHORIZED,
                                "A valid API key is required in the " + ApiKeyAuthenticationFilter.HEADER + " header.",
                                request));
            })
                .accessDeniedHandler((request, response, e) -> ProblemResponses.write(response,
                        ProblemResponses.problem(HttpStatus.FORBIDDEN, "This API key may not do that.", request))));
        return http.build();
    }

}
