package quartet.bench.inapp;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.stereotype.Component;

/**
 * Lets the benchmark switch the rate limit filter off and on while the application runs, so both sides are
 * measured in one JVM, in alternating rounds, instead of in two application starts whose JIT and placement
 * differ by more than the filter costs. It wraps the filter where it is registered: switched off, a request
 * skips the whole filter; switched on, it costs one volatile read more than the filter alone. Benchmark
 * build only, like the rest of this package.
 */
@Component
class RateLimitFilterSwitch implements BeanPostProcessor {

    private static final String FILTER_CLASS = "ratelimit.RateLimitFilter";

    private volatile boolean filtering = true;

    void filter(boolean on) {
        filtering = on;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof FilterRegistrationBean<?> registration && registration.getFilter() != null
                && registration.getFilter().getClass().getName().equals(FILTER_CLASS)) {
            Filter rateLimit = registration.getFilter();
            // Keep the registration's name: the filter would otherwise be registered under the wrapper's.
            registration.setName(beanName);
            ((FilterRegistrationBean<Filter>) registration).setFilter(new Switchable(rateLimit));
        }
        return bean;
    }

    private final class Switchable implements Filter {

        private final Filter rateLimit;

        Switchable(Filter rateLimit) {
            this.rateLimit = rateLimit;
        }

        @Override
        public void init(FilterConfig config) throws ServletException {
            rateLimit.init(config);
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            if (filtering) {
                rateLimit.doFilter(request, response, chain);
            }
            else {
                chain.doFilter(request, response);
            }
        }

        @Override
        public void destroy() {
            rateLimit.destroy();
        }
    }
}
