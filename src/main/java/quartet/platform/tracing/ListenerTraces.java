package quartet.platform.tracing;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalApplicationListenerMethodAdapter;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Runs every after-commit listener (so every {@code @ApplicationModuleListener}) in a
 * span of the trace its event was published in: a child of the stored traceparent, named
 * for the listener. It wraps Modulith's completion interceptor, so marking the
 * publication processing and completed (and the failure recorder's log line) belong to
 * the trace too. An event published outside any trace runs as before.
 */
final class ListenerTraces extends StaticMethodMatcherPointcutAdvisor {

    /**
     * Just outside Modulith's CompletionRegisteringMethodInterceptor (HIGHEST_PRECEDENCE
     * + 10).
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 5;

    ListenerTraces(PublicationTraces traces) {
        setOrder(ORDER);
        setAdvice(new Continuing(traces));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        TransactionalEventListener listener = AnnotatedElementUtils.findMergedAnnotation(specific,
                TransactionalEventListener.class);
        return listener != null && listener.phase() == TransactionPhase.AFTER_COMMIT;
    }

    private static final class Continuing implements MethodInterceptor {

        private final Map<Method, String> listenerIds = new ConcurrentHashMap<>();

        private final PublicationTraces traces;

        Continuing(PublicationTraces traces) {
            this.traces = traces;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            String listenerId = listenerIds.computeIfAbsent(invocation.getMethod(),
                    it -> new TransactionalApplicationListenerMethodAdapter("trace", it.getDeclaringClass(), it)
                        .getListenerId());
            Optional<String> parent = traces.parentOf(invocation.getArguments()[0], listenerId);
            if (parent.isEmpty()) {
                return invocation.proceed();
            }
            Tracer tracer = traces.tracer();
            Span span = traces.continuing(parent.get())
                .name("event " + invocation.getArguments()[0].getClass().getSimpleName())
                .kind(Span.Kind.CONSUMER)
                .tag("quartet.listener", listenerId)
                .start();
            Object result;
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                result = invocation.proceed();
            }
            catch (Throwable failure) {
                span.error(failure).end();
                throw failure;
            }
            if (result instanceof CompletableFuture<?> future) {
                // The externalizer's future completes when the broker confirmed.
                return future.whenComplete((value, failure) -> {
                    if (failure != null) {
                        span.error(failure);
                    }
                    span.end();
                });
            }
            span.end();
            return result;
        }

    }

}
