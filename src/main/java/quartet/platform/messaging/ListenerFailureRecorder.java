package quartet.platform.messaging;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcutAdvisor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalApplicationListenerMethodAdapter;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Records why a listener failed. Spring Modulith wraps every after-commit transactional
 * event listener (so every {@code @ApplicationModuleListener}) in an interceptor that
 * marks the publication processing, completed or FAILED, but drops the exception. This
 * advisor wraps the same methods, just inside Modulith's interceptor and outside the
 * listener's transaction: it sees the exception (thrown, or failing the returned future,
 * as the externalizer's does) and the event, keeps the reason on the publication and
 * rethrows unchanged, so Modulith then marks it FAILED as before. The log gets the masked
 * reason and where it was thrown, never the raw message: Modulith's and Spring's own
 * lines about the failure are switched off in application.yaml.
 */
final class ListenerFailureRecorder extends StaticMethodMatcherPointcutAdvisor {

    private static final Log log = LogFactory.getLog(ListenerFailureRecorder.class);

    /**
     * Modulith's CompletionRegisteringMethodInterceptor runs at HIGHEST_PRECEDENCE + 10:
     * this runs just inside it.
     */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    ListenerFailureRecorder(ObjectProvider<FailedPublications> publications,
            ObjectProvider<ResubmissionSettings> settings, ObjectProvider<ApplicationEventPublisher> events) {
        setOrder(ORDER);
        setAdvice(new Recording(publications, settings, events));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        TransactionalEventListener listener = AnnotatedElementUtils.findMergedAnnotation(specific,
                TransactionalEventListener.class);
        return listener != null && listener.phase() == TransactionPhase.AFTER_COMMIT;
    }

    private static final class Recording implements MethodInterceptor {

        private final Map<Method, String> listenerIds = new ConcurrentHashMap<>();

        private final ObjectProvider<FailedPublications> publications;

        private final ObjectProvider<ResubmissionSettings> settings;

        private final ObjectProvider<ApplicationEventPublisher> events;

        Recording(ObjectProvider<FailedPublications> publications, ObjectProvider<ResubmissionSettings> settings,
                ObjectProvider<ApplicationEventPublisher> events) {
            this.publications = publications;
            this.settings = settings;
            this.events = events;
        }

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            Object result;
            try {
                result = invocation.proceed();
            }
            catch (Throwable failure) {
                record(invocation, failure);
                throw failure;
            }
            if (result instanceof CompletableFuture<?> future) {
                // Recorded before the returned future fails, so before Modulith marks the
                // publication FAILED.
                return future.whenComplete((value, failure) -> {
                    if (failure != null) {
                        record(invocation, failure);
                    }
                });
            }
            return result;
        }

        private void record(MethodInvocation invocation, Throwable failure) {
            Method method = invocation.getMethod();
            // The id Modulith stores the publication under: the annotation's id, else one
            // derived from the method.
            String listenerId = listenerIds.computeIfAbsent(method,
                    it -> new TransactionalApplicationListenerMethodAdapter("failure-recorder", it.getDeclaringClass(),
                            it)
                        .getListenerId());
            String reason = FailureReasons.of(failure);
            try {
                publications.getObject()
                    .recordFailure(listenerId, invocation.getArguments()[0], reason)
                    .ifPresentOrElse(recorded -> {
                        ResubmissionSettings budget = settings.getObject();
                        boolean givenUp = budget.givesUpAfter(recorded.attempts() - recorded.attemptsBaseline());
                        log.warn("Listener " + listenerId + " failed on event publication " + recorded.publicationId()
                                + " (attempt " + recorded.attempts()
                                + (givenUp ? ", given up: resubmit it by hand" : "") + "): " + reason + " (at "
                                + FailureReasons.origin(failure) + ")");
                        events.getObject()
                            .publishEvent(new ListenerFailed(recorded.publicationId(), listenerId, recorded.eventType(),
                                    reason, recorded.attempts(), budget.maxAttempts(), givenUp));
                    }, () -> log.warn("Listener " + listenerId + " failed on an event with no incomplete publication: "
                            + reason));
            }
            catch (RuntimeException e) {
                // Never hide the listener's own failure: Modulith still marks the
                // publication FAILED.
                log.warn("Could not record the failure of listener " + listenerId + ": " + e);
            }
        }

    }

}
