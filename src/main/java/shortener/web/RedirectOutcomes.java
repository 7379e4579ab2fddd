package shortener.web;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code quartet.shortener.redirects} by outcome, read from the status each redirect
 * answered with once its exceptions were turned into problem details: redirected
 * (301/302), not_found (404), gone (410: expired, disabled or out of clicks), unavailable
 * (503: a click limit while Redis is down), other. Requests the rate limiter refuses
 * never reach a handler and are the limiter's count.
 */
@Component
class RedirectOutcomes implements HandlerInterceptor, WebMvcConfigurer {

    private final Map<String, Counter> outcomes;

    RedirectOutcomes(MeterRegistry registry) {
        this.outcomes = Map.of("redirected", counter(registry, "redirected"), "not_found",
                counter(registry, "not_found"), "gone", counter(registry, "gone"), "unavailable",
                counter(registry, "unavailable"), "other", counter(registry, "other"));
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("quartet.shortener.redirects")
            .description("Redirects by outcome")
            .tag("outcome", outcome)
            .register(registry);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        if (handler instanceof HandlerMethod method && method.getBeanType() == RedirectController.class
                && method.getMethod().getName().equals("follow")) {
            outcomes.get(outcome(response.getStatus())).increment();
        }
    }

    private static String outcome(int status) {
        return switch (status) {
            case 301, 302 -> "redirected";
            case 404 -> "not_found";
            case 410 -> "gone";
            case 503 -> "unavailable";
            default -> "other";
        };
    }

}
