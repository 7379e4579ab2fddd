package ratelimit;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import ratelimit.RateLimitSettings.Policy;
import ratelimit.web.ClientKeys;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies the first policy whose pattern matches the request path. Every limited response
 * carries the IETF RateLimit-Policy and RateLimit fields; a rejection is 429 with
 * Retry-After and a problem+json body. A policy in shadow mode logs and counts would-be
 * rejections but lets the request through.
 */
class RateLimitFilter extends OncePerRequestFilter {

    private static final Log log = LogFactory.getLog(RateLimitFilter.class);

    /**
     * A policy with its parsed patterns, and its RateLimit-Policy field, the same on
     * every response.
     */
    private static final class Route {

        private final Policy policy;

        private final List<PathPattern> patterns;

        // from the first decision: quota and window never change
        private volatile @Nullable String policyField;

        Route(Policy policy, List<PathPattern> patterns) {
            this.policy = policy;
            this.patterns = patterns;
        }

        Policy policy() {
            return policy;
        }

        boolean matches(PathContainer path) {
            for (PathPattern pattern : patterns) {
                if (pattern.matches(path)) {
                    return true;
                }
            }
            return false;
        }

        String policyField(RateLimitDecision decision) {
            String field = policyField;
            if (field == null) {
                field = "\"" + decision.policy() + "\";q=" + decision.quota() + ";w=" + decision.window();
                policyField = field;
            }
            return field;
        }

    }

    private final RateLimiter limiter;

    private final List<Route> routes;

    private final ClientKeys keys;

    private final JsonMapper json;

    private final MeterRegistry meters;

    RateLimitFilter(RateLimiter limiter, List<Policy> policies, ClientKeys keys, JsonMapper json,
            MeterRegistry meters) {
        this.limiter = limiter;
        this.keys = keys;
        this.json = json;
        this.meters = meters;
        this.routes = policies.stream()
            .map(policy -> new Route(policy,
                    policy.patterns().stream().map(PathPatternParser.defaultInstance::parse).toList()))
            .toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        PathContainer path = PathContainer
            .parsePath(request.getRequestURI().substring(request.getContextPath().length()));
        Route route = routeFor(path);
        if (route == null) {
            chain.doFilter(request, response);
            return;
        }
        Policy policy = route.policy();
        RateLimitDecision decision = limiter.tryAcquire(policy.name(), keyOf(policy, request));
        response.setHeader("RateLimit-Policy", route.policyField(decision));
        response.setHeader("RateLimit", "\"" + decision.policy() + "\";r=" + decision.remaining() + ";t="
                + wholeSeconds(decision.resetAfter()));
        if (decision.allowed()) {
            chain.doFilter(request, response);
        }
        else if (policy.shadow()) {
            meters.counter("quartet.ratelimit.shadow.rejections", "policy", policy.name()).increment();
            log.info("Rate limit policy '" + policy.name() + "' (shadow) would have rejected " + request.getMethod()
                    + " " + request.getRequestURI());
            chain.doFilter(request, response);
        }
        else {
            reject(request, response, decision);
        }
    }

    private String keyOf(Policy policy, HttpServletRequest request) {
        return switch (policy.key()) {
            case IP -> keys.ip(request);
            case CLIENT -> keys.client(request);
            case API_KEY -> keys.apiKey(request);
        };
    }

    /**
     * The first route whose pattern matches; a plain loop, since it runs on every
     * request.
     */
    private @Nullable Route routeFor(PathContainer path) {
        for (Route route : routes) {
            if (route.matches(path)) {
                return route;
            }
        }
        return null;
    }

    private void reject(HttpServletRequest request, HttpServletResponse response, RateLimitDecision decision)
            throws IOException {
        long retryAfter = decision.retryAfterSeconds();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS,
                "Rate limit '" + decision.policy() + "' exceeded; retry in " + retryAfter + " s.");
        // documented at /problems, like every problem type
        problem.setType(URI.create("/problems/rate-limited"));
        problem.setInstance(URI.create(request.getRequestURI()));
        problem.setProperty("code", "rate-limited");
        problem.setProperty("policy", decision.policy());
        response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
        response.setHeader("Retry-After", Long.toString(retryAfter));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }

    static long wholeSeconds(java.time.Duration duration) {
        long nanos = duration.toNanos();
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

}
