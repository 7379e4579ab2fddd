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
import shortener.repository.NearLinkCache;

/**
 * {@code quartet.shortener.cache.lookups} (result hit or miss), counted around the near
 * cache's {@link NearLinkCache#lookup} so the redirect path's code stays as it is: an
 * answer it may use (a link, or a code remembered as unknown) is a hit, none is a miss.
 * Hit ratio = hits / all lookups.
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
        if (!(bean instanceof NearLinkCache)) {
            return bean;
        }
        MethodInterceptor counting = call -> {
            Object result = call.proceed();
            if (call.getMethod().getName().equals("lookup")) {
                (result == null ? misses() : hits()).increment();
            }
            return result;
        };
        // @Repository beans arrive proxied already (exception translation): add to that
        // proxy.
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            advised.addAdvice(counting);
            return bean;
        }
        ProxyFactory proxy = new ProxyFactory(bean);
        proxy.setProxyTargetClass(true);
        proxy.addAdvice(counting);
        return proxy.getProxy();
    }

    /**
     * Both series from the start: a dashboard sees zeros rather than nothing before the
     * first redirect.
     */
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
            .description("Redirects' lookups in the near cache, by whether it could answer")
            .tag("result", result)
            .register(registry.getObject());
    }

}
