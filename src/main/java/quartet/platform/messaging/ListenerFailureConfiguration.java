package quartet.platform.messaging;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

/**
 * Registers the advisor that keeps why a listener failed (see
 * {@link ListenerFailureRecorder}).
 */
@Configuration(proxyBeanMethods = false)
class ListenerFailureConfiguration {

    // Infrastructure, like Modulith's own advisor, so whichever auto-proxy creator runs
    // applies it;
    // static, with lazy providers, so creating it early pulls in no other bean.
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ListenerFailureRecorder listenerFailureRecorder(ObjectProvider<FailedPublications> publications,
            ObjectProvider<ResubmissionSettings> settings, ObjectProvider<ApplicationEventPublisher> events) {
        return new ListenerFailureRecorder(publications, settings, events);
    }

}
