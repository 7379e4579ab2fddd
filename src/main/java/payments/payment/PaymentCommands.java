package payments.payment;

import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import payments.idempotency.IdempotencyKey;
import payments.idempotency.IdempotentExecution;
import payments.ownership.Caller;

/**
 * The two idempotent payment commands, as both transports run them: one Idempotency-Key
 * store, one canonical form of each request (so a key used over HTTP replays over gRPC
 * and back), one answer (status and problem+json or view JSON) that each transport
 * translates.
 */
@Component
class PaymentCommands {

    private static final int REFUND_ATTEMPTS = 3;

    private final IdempotentExecution idempotent;

    private final PaymentCreation creation;

    private final Refunds refunds;

    PaymentCommands(IdempotentExecution idempotent, PaymentCreation creation, Refunds refunds) {
        this.idempotent = idempotent;
        this.creation = creation;
        this.refunds = refunds;
    }

    /**
     * @param instance the problem's instance: the HTTP route the request stands for
     */
    ResponseEntity<String> create(PaymentRequest request, IdempotencyKey key, String instance, Caller caller) {
        try {
            return idempotent.run(caller.client(), key, request.canonical(),
                    () -> creation.execute(request, key.value(), instance, caller));
        }
        catch (OptimisticLockingFailureException | DuplicateKeyException lostRaceOnTheOrder) {
            // Another payment or a cancel of this order committed first; nothing of this
            // request was kept.
            return idempotent.answer(creation.lostRace(request.orderId(), instance, caller));
        }
    }

    ResponseEntity<String> refund(UUID paymentId, RefundRequest request, IdempotencyKey key, String instance,
            Caller caller) {
        for (int attempt = 1;; attempt++) {
            try {
                return idempotent.run(caller.client(), key, request.canonical(paymentId),
                        () -> refunds.execute(paymentId, request, instance, caller));
            }
            catch (OptimisticLockingFailureException e) {
                // The payment changed under us (another refund was requested or settled):
                // nothing was
                // kept and the key was released, so reading it again and retrying is
                // safe.
                if (attempt == REFUND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

}
