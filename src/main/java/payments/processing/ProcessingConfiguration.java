package payments.processing;

import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaRetryTopic;

/** Turns on Spring Kafka's non-blocking retry topics for the payment processor. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaRetryTopic
class ProcessingConfiguration {
}
