package payments.processing;

import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes processing requests from Kafka. A transient provider failure is retried through
 * non-blocking retry topics with exponential backoff (the main topic keeps flowing); when the
 * attempts are used up the request lands on the dead-letter topic and the payment FAILS with
 * reason {@code retries exhausted}.
 */
@Component
class PaymentProcessor {

    static final String TOPIC = "payment.requests";

    private final PaymentProcessing processing;
    private final DeadLetters deadLetters;

    PaymentProcessor(PaymentProcessing processing, DeadLetters deadLetters) {
        this.processing = processing;
        this.deadLetters = deadLetters;
    }

    @RetryableTopic(
            attempts = "${quartet.payments.max-processing-attempts:4}",
            backOff = @BackOff(delayString = "${quartet.payments.retry-initial-delay-ms:1000}", multiplier = 2.0,
                    maxDelayString = "${quartet.payments.retry-max-delay-ms:30000}"),
            include = PaymentProvider.TransientProviderFailure.class,
            traversingCauses = "true",
            retryTopicSuffix = ".retry",
            dltTopicSuffix = ".dlt",
            numPartitions = "1",
            replicationFactor = "1")
    @KafkaListener(topics = TOPIC, groupId = "payments-processor")
    void process(PaymentRequested request) {
        processing.process(request.paymentId());
    }

    @DltHandler
    void exhausted(PaymentRequested request, @Header(name = KafkaHeaders.RECEIVED_TOPIC) String topic,
            @Header(name = KafkaHeaders.DLT_EXCEPTION_MESSAGE, required = false) String error) {
        deadLetters.record(request.paymentId(), topic, error);
        processing.giveUp(request.paymentId(), PaymentProcessing.RETRIES_EXHAUSTED);
    }
}
