package payments.processing;

import java.util.Arrays;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationSupport;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Spring Kafka's non-blocking retry topics for the payment processor, with one change:
 * the dead-letter consumer retries a record whose handling met an unavailable database,
 * with the processor's exponential backoff and for as long as it takes, without
 * committing its offset. Spring Kafka's default would publish the record to the
 * dead-letter topic again at once, with the handler's exception in place of the one that
 * dead-lettered it.
 */
@Configuration(proxyBeanMethods = false)
class ProcessingConfiguration extends RetryTopicConfigurationSupport {

    static final String DEAD_LETTER_TOPIC = PaymentProcessor.TOPIC + PaymentProcessor.DEAD_LETTER_SUFFIX;

    private static final Log log = LogFactory.getLog(ProcessingConfiguration.class);

    private final long initialDelayMillis;

    private final long maxDelayMillis;

    ProcessingConfiguration(@Value("${quartet.payments.retry-initial-delay-ms:1000}") long initialDelayMillis,
            @Value("${quartet.payments.retry-max-delay-ms:30000}") long maxDelayMillis) {
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
    }

    @Override
    protected void configureCustomizers(CustomizersConfigurer customizers) {
        customizers.customizeListenerContainer(container -> {
            if (consumesDeadLetters(container)) {
                container.setCommonErrorHandler(retryingWhileTheDatabaseIsUnavailable());
            }
        });
    }

    private static boolean consumesDeadLetters(ConcurrentMessageListenerContainer<?, ?> container) {
        String[] topics = container.getContainerProperties().getTopics();
        return topics != null && Arrays.asList(topics).contains(DEAD_LETTER_TOPIC);
    }

    private DefaultErrorHandler retryingWhileTheDatabaseIsUnavailable() {
        ExponentialBackOff backOff = new ExponentialBackOff(initialDelayMillis, 2.0);
        backOff.setMaxInterval(maxDelayMillis);
        // Anything else is a defect that retrying would not cure: logged and skipped. The
        // dead
        // letter stays listed for operators if it was recorded, and a PROCESSING payment
        // is the reconciler's.
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, failure) -> log.error("Could not handle the dead letter " + record.value(), failure), backOff);
        handler.defaultFalse();
        handler.addRetryableExceptions(TransientDatabaseFailure.class);
        return handler;
    }

}
