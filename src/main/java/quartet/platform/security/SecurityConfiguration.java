package quartet.platform.security;

import java.util.Set;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import quartet.platform.web.ProblemResponses;

/**
 * API keys guard the management APIs ({@code /api/**}) and the actuator beyond health and info.
 * Redirects, the dashboard, health and the API docs stay public; the demo routes only in demo mode. Stateless: no session, no CSRF
 * token (no browser session to ride on).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlatformProperties.class)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, PlatformProperties properties,
            @Value("${quartet.demo.enabled:true}") boolean demo) throws Exception {
        ApiKeys keys = new ApiKeys(properties.apiKeys());
        http.csrf(csrf -> csrf.disable())
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .httpBasic(basic -> basic.disable())
            .formLogin(form -> form.disable())
            .logout(logout -> logout.disable())
            .requestCache(cache -> cache.disable())
            .addFilterBefore(new ApiKeyAuthenticationFilter(keys, Set.copyOf(properties.adminClients())), AnonymousAuthenticationFilter.class)
            .authorizeHttpRequests(requests -> {
                requests.requestMatchers("/api/**").authenticated()
                    .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info").permitAll()
                    .requestMatchers("/actuator/**").authenticated()
                    .requestMatchers(HttpMethod.GET, "/docs", "/docs/**").permitAll();
                // The demo's receiver and limited route, and the dashboard's live stream, are public only in demo mode.
                var demoRoutes = requests.requestMatchers("/demo/**", "/dashboard/stream");
                if (demo) {
                    demoRoutes.permitAll();
                }
                else {
                    demoRoutes.authenticated();
                }
                requests.anyRequest().permitAll();
            })
            .exceptionHandling(errors -> errors
                .authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "ApiKey header=\"" + ApiKeyAuthenticationFilter.HEADER + "\"");
                    ProblemResponses.write(response, ProblemResponses.problem(HttpStatus.UNAUTHORIZED,
                            "A valid API key is required in the " + ApiKeyAuthenticationFilter.HEADER + " header.", request));
                })
                .accessDeniedHandler((request, response, e) -> ProblemResponses.write(response,
                        ProblemResponses.problem(HttpStatus.FORBIDDEN, "This API key may not do that.", request))));
        return http.build();
    }
}
