package payments.processing;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/**
 * Consumes refund requests from Kafka, with the payment processor's retry topics and
 * backoff. When the attempts are used up, the provider's record decides: a refund it
 * answered is settled with that answer, one it never took is FAILED (nothing was sent
 * back, so asking again is safe).
 */
@Component
class RefundProcessor {

    static final String TOPIC = "refund.requests";
    static final String RETRIES_EXHAUSTED = "retries exhausted: the provider could not be reached";

    private static final Log log = LogFactory.getLog(RefundProcessor.class);

    private final RefundProcessing processing;

    private final PaymentProvider provider;

    RefundProcessor(RefundProcessing processing, PaymentProvider provider) {
        this.processing = processing;
        this.provider = provider;
    }

    @RetryableTopic(attempts = "${quartet.payments.max-processing-attempts:4}",
            backOff = @BackOff(delayString = "${quartet.payments.retry-initial-delay-ms:1000}", multiplier = 2.0,
                    maxDelayString = "${quartet.payments.retry-max-delay-ms:30000}"),
            include = { PaymentProvider.TransientProviderFailure.class, TransientDatabaseFailure.class },
            traversingCauses = "true", retryTopicSuffix = ".retry", dltTopicSuffix = ".dlt", numPartitions = "1",
            replicationFactor = "1")
    @KafkaListener(topics = TOPIC, groupId = "payments-refunds")
    void process(RefundRequested request) {
        try {
            processing.process(request.refundId(), request.paymentId());
        }
        catch (RuntimeException e) {
            throw TransientDatabaseFailure.classify(e);
        }
    }

    @DltHandler
    void exhausted(RefundRequested request,
            @Header(name = KafkaHeaders.EXCEPTION_MESSAGE, required = false) String error) {
        log.warn("Refund " + request.refundId() + " ran out of attempts: " + error);
        var answer = provider.lookupRefund(request.refundId())
            .orElse(new PaymentProvider.Result(PaymentProvider.Outcome.DECLINED, RETRIES_EXHAUSTED));
        processing.settle(request.paymentId(), request.refundId(), answer);
    }

}
