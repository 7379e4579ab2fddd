package payments.processing;

import java.time.Duration;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Times every call to the payment provider ({@code quartet.payments.provider.calls}, by
 * operation and outcome, as a histogram: a provider's p99 is what a dashboard needs to
 * see). Wraps whatever {@link PaymentProvider} bean there is, so neither the processors
 * nor a provider knows about it; the wrapper is a subclass proxy, so the bean keeps its
 * own type.
 */
@Component
class ProviderCallMetrics implements BeanPostProcessor {

    private final ObjectProvider<MeterRegistry> registry;

    ProviderCallMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof PaymentProvider)) {
            return bean;
        }
        MethodInterceptor timing = call -> {
            String operation = call.getMethod().getName();
            if (call.getMethod().getDeclaringClass() == Object.class) {
                return call.proceed();
            }
            long started = System.nanoTime();
            String outcome = "error";
            try {
                Object result = call.proceed();
                outcome = outcomeOf(result);
                return result;
            }
            finally {
                timer(operation, outcome).record(Duration.ofNanos(System.nanoTime() - started));
            }
        };
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            advised.addAdvice(timing);
            return bean;
        }
        ProxyFactory proxy = new ProxyFactory(bean);
        proxy.setProxyTargetClass(true);
        proxy.addAdvice(timing);
        return proxy.getProxy();
    }

    private static String outcomeOf(Object result) {
        if (result instanceof Optional<?> found) {
            return found.map(ProviderCallMetrics::outcomeOf).orElse("not_found");
        }
        if (result instanceof PaymentProvider.Result answer) {
            return answer.outcome() == PaymentProvider.Outcome.APPROVED ? "approved" : "declined";
        }
        return "completed";
    }

    private Timer timer(String operation, String outcome) {
        return timer(registry.getObject(), operation, outcome);
    }

    static Timer timer(MeterRegistry registry, String operation, String outcome) {
        return Timer.builder("quartet.payments.provider.calls")
            .description("Calls to the payment provider, from request to answer or error")
            .tag("operation", operation)
            .tag("outcome", outcome)
            .publishPercentileHistogram()
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    }

}
