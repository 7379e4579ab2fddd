package payments.processing;

import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes processing requests from Kafka. A transient provider failure, and a database
 * that could not be reached or could not commit, are retried through non-blocking retry
 * topics with exponential backoff (the main topic keeps flowing). When the attempts are
 * used up the request lands on the dead-letter topic, and {@link DeadLetterHandler}
 * settles the payment with what the provider knows (see {@link DeadLetterDecision}).
 */
@Component
class PaymentProcessor {

    static final String TOPIC = "payment.requests";
    static final String DEAD_LETTER_SUFFIX = ".dlt";

    private final PaymentProcessing processing;

    private final DeadLetterHandler deadLetters;

    PaymentProcessor(PaymentProcessing processing, DeadLetterHandler deadLetters) {
        this.processing = processing;
        this.deadLetters = deadLetters;
    }

    @RetryableTopic(attempts = "${quartet.payments.max-processing-attempts:4}",
            backOff = @BackOff(delayString = "${quartet.payments.retry-initial-delay-ms:1000}", multiplier = 2.0,
                    maxDelayString = "${quartet.payments.retry-max-delay-ms:30000}"),
            include = { PaymentProvider.TransientProviderFailure.class, TransientDatabaseFailure.class },
            traversingCauses = "true", retryTopicSuffix = ".retry", dltTopicSuffix = DEAD_LETTER_SUFFIX,
            numPartitions = "1", replicationFactor = "1")
    @KafkaListener(topics = TOPIC, groupId = "payments-processor")
    void process(PaymentRequested request) {
        try {
            processing.process(request.paymentId());
        }
        catch (RuntimeException e) {
            throw TransientDatabaseFailure.classify(e);
        }
    }

    // The retry topics' dead-letter publisher writes the kafka_exception-* headers, not
    // kafka_dlt-exception-*.
    @DltHandler
    void exhausted(PaymentRequested request, @Header(name = KafkaHeaders.RECEIVED_TOPIC) String topic,
            @Header(name = KafkaHeaders.EXCEPTION_MESSAGE, required = false) String error,
            @Header(name = KafkaHeaders.EXCEPTION_STACKTRACE, required = false) String stackTrace) {
        deadLetters.handle(request.paymentId(), topic, error, DeadLetterDecision.Cause.fromStackTrace(stackTrace));
    }

}
