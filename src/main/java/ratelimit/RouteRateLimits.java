package ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import ratelimit.RateLimitSettings.Policy;
import ratelimit.web.ClientKeys;

/**
 * {@link RouteLimits} over the configured policies, matched and keyed as
 * {@link RateLimitFilter} does.
 */
@Component
class RouteRateLimits implements RouteLimits {

    private record Route(Policy policy, List<PathPattern> patterns) {
    }

    private final RateLimiter limiter;

    private final ClientKeys keys;

    private final MeterRegistry meters;

    private final boolean enabled;

    private final List<Route> routes;

    RouteRateLimits(PolicyRateLimiter limiter, ClientKeys keys, MeterRegistry meters, RateLimitSettings settings) {
        this.limiter = limiter;
        this.keys = keys;
        this.meters = meters;
        this.enabled = settings.enabled();
        this.routes = limiter.policies()
            .stream()
            .map(policy -> new Route(policy,
                    policy.patterns().stream().map(PathPatternParser.defaultInstance::parse).toList()))
            .toList();
    }

    @Override
    public Optional<RateLimitDecision> tryAcquire(String path, @Nullable String client, @Nullable String apiKey,
            String ip) {
        if (!enabled) {
            return Optional.empty();
        }
        PathContainer container = PathContainer.parsePath(path);
        Optional<Policy> match = routes.stream()
            .filter(route -> route.patterns().stream().anyMatch(pattern -> pattern.matches(container)))
            .map(Route::policy)
            .findFirst();
        return match.map(policy -> {
            RateLimitDecision decision = limiter.tryAcquire(policy.name(), keyOf(policy, client, apiKey, ip));
            if (!decision.allowed() && policy.shadow()) {
                meters.counter("quartet.ratelimit.shadow.rejections", "policy", policy.name()).increment();
                return new RateLimitDecision(true, decision.policy(), decision.quota(), decision.window(), 0,
                        Duration.ZERO, decision.resetAfter());
            }
            return decision;
        });
    }

    private String keyOf(Policy policy, @Nullable String client, @Nullable String apiKey, String ip) {
        return switch (policy.key()) {
            case IP -> keys.ipKey(ip);
            case CLIENT -> keys.clientKey(client, ip);
            case API_KEY -> keys.apiKeyKey(apiKey, ip);
        };
    }

}
