package quartet.platform.tracing;

import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.NameMatchMethodPointcutAdvisor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.TargetEventPublication;

/**
 * Wraps Modulith's publication repository so that every publication it creates also gets
 * the trace it was published in ({@link PublicationTraces#stored}); everything else
 * passes through.
 */
final class TracedPublicationRepository implements BeanPostProcessor {

    private final PublicationTraces traces;

    TracedPublicationRepository(PublicationTraces traces) {
        this.traces = traces;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof EventPublicationRepository)) {
            return bean;
        }
        NameMatchMethodPointcutAdvisor create = new NameMatchMethodPointcutAdvisor((MethodInterceptor) invocation -> {
            Object created = invocation.proceed();
            traces.stored((TargetEventPublication) invocation.getArguments()[0]);
            return created;
        });
        create.setMappedName("create");
        ProxyFactory proxy = new ProxyFactory(bean);
        proxy.addInterface(EventPublicationRepository.class);
        proxy.addAdvisor(create);
        return proxy.getProxy(bean.getClass().getClassLoader());
    }

}
