package shortener.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import shortener.repository.CachedRedirects;

/**
 * {@code quartet.shortener.cache.lookups} (result hit or miss), counted around
 * {@link CachedRedirects} so the redirect path's code stays as it is. A redirect's first call
 * there carries neither a row from PostgreSQL nor a click count: that call is the cache lookup,
 * and anything but MISS (a link found, an unknown code remembered) is a hit. The calls after a
 * miss are not lookups. Hit ratio = hits / all lookups.
 */
@Component
class CacheLookupMetrics implements BeanPostProcessor, ApplicationListener<ApplicationReadyEvent> {

    private final ObjectProvider<MeterRegistry> registry;
    private volatile Counter hits;
    private volatile Counter misses;

    CacheLookupMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof CachedRedirects)) {
            return bean;
        }
        MethodInterceptor counting = call -> {
            Object result = call.proceed();
            Object[] arguments = call.getArguments();
            if (call.getMethod().getName().equals("follow") && result instanceof CachedRedirects.Followed followed
                    && arguments.length == 6 && arguments[3] == null && arguments[4] == null) {
                (followed.outcome() == CachedRedirects.Outcome.MISS ? misses() : hits()).increment();
            }
            return result;
        };
        // @Repository beans arrive proxied already (exception translation): add to that proxy.
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            advised.addAdvice(counting);
            return bean;
        }
        ProxyFactory proxy = new ProxyFactory(bean);
        proxy.setProxyTargetClass(true);
        proxy.addAdvice(counting);
        return proxy.getProxy();
    }

    /** Both series from the start: a dashboard sees zeros rather than nothing before the first redirect. */
    @Override
    public void onApplicationEvent(ApplicationReadyEvent ready) {
        hits();
        misses();
    }

    private Counter hits() {
        if (hits == null) {
            hits = lookups("hit");
        }
        return hits;
    }

    private Counter misses() {
        if (misses == null) {
            misses = lookups("miss");
        }
        return misses;
    }

    private Counter lookups(String result) {
        return Counter.builder("quartet.shortener.cache.lookups")
            .description("Redirects' first lookup in Redis, by whether the cache knew the code")
            .tag("result", result)
            .register(registry.getObject());
    }
}
