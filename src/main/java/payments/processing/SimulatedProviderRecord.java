package payments.processing;

import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The simulated provider's memory, in its own table
 * ({@code payments.simulated_provider_requests}), so it outlives a restart as a real
 * provider's does: how often each charge (or refund) was asked for, and the first answer
 * given. Every write commits on its own, whatever transaction the caller is in: the
 * provider is another system, and a caller's rollback does not undo a charge.
 */
@Component
class SimulatedProviderRecord {

    /** What the provider was asked to do. */
    enum Kind {

        CHARGE, REFUND

    }

    /**
     * One call: its number (1 for the first) and the answer already given to an earlier
     * one, if any.
     */
    record Call(int number, Optional<PaymentProvider.Result> answer) {
    }

    private final JdbcClient jdbc;

    private final TransactionTemplate ownTransaction;

    SimulatedProviderRecord(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Counts a call for {@code id} and returns it with the first answer, if one was
     * given.
     */
    Call call(Kind kind, UUID id) {
        return ownTransaction.execute(status -> jdbc.sql("""
                INSERT INTO payments.simulated_provider_requests AS r (kind, id, calls, first_called_at)
                VALUES (:kind, :id, 1, now())
                ON CONFLICT (kind, id) DO UPDATE SET calls = r.calls + 1
                RETURNING calls, outcome, reason""")
            .param("kind", kind.name())
            .param("id", id)
            .query((rs, row) -> new Call(rs.getInt("calls"), result(rs.getString("outcome"), rs.getString("reason"))))
            .single());
    }

    /**
     * Records {@code answer} unless an earlier call was answered first; returns the first
     * answer.
     */
    PaymentProvider.Result answer(Kind kind, UUID id, PaymentProvider.Result answer) {
        return ownTransaction.execute(status -> {
            jdbc.sql(
                    """
                            UPDATE payments.simulated_provider_requests SET outcome = :outcome, reason = :reason, answered_at = now()
                            WHERE kind = :kind AND id = :id AND outcome IS NULL""")
                .param("outcome", answer.outcome().name())
                .param("reason", answer.reason())
                .param("kind", kind.name())
                .param("id", id)
                .update();
            return answerFor(kind, id)
                .orElseThrow(() -> new IllegalStateException("No call recorded for " + kind + " " + id));
        });
    }

    Optional<PaymentProvider.Result> answerFor(Kind kind, UUID id) {
        return jdbc
            .sql("SELECT outcome, reason FROM payments.simulated_provider_requests WHERE kind = :kind AND id = :id")
            .param("kind", kind.name())
            .param("id", id)
            .query((rs, row) -> result(rs.getString("outcome"), rs.getString("reason")))
            .optional()
            .flatMap(found -> found);
    }

    int calls(Kind kind, UUID id) {
        return jdbc.sql("SELECT calls FROM payments.simulated_provider_requests WHERE kind = :kind AND id = :id")
            .param("kind", kind.name())
            .param("id", id)
            .query(Integer.class)
            .optional()
            .orElse(0);
    }

    private static Optional<PaymentProvider.Result> result(String outcome, String reason) {
        return outcome == null ? Optional.empty()
                : Optional.of(new PaymentProvider.Result(PaymentProvider.Outcome.valueOf(outcome), reason));
    }

}
