package payments.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import payments.processing.DeadLetterDecision.Action;
import payments.processing.DeadLetterDecision.Cause;
import payments.processing.DeadLetterDecision.ProviderRecord;

class DeadLetterDecisionTest {

    @ParameterizedTest
    @EnumSource(Cause.class)
    void leavesASettledOrUnknownPaymentAlone(Cause cause) {
        for (ProviderRecord provider : ProviderRecord.values()) {
            assertThat(DeadLetterDecision.decide(false, provider, cause)).isEqualTo(Action.NOTHING);
        }
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void settlesWithTheProvidersOutcomeWhateverDeadLetteredTheRequest(Cause cause) {
        assertThat(DeadLetterDecision.decide(true, ProviderRecord.OUTCOME, cause))
            .isEqualTo(Action.SETTLE_WITH_PROVIDER_OUTCOME);
    }

    @ParameterizedTest
    @EnumSource(Cause.class)
    void leavesThePaymentToTheReconcilerWhenTheProviderCannotBeAsked(Cause cause) {
        assertThat(DeadLetterDecision.decide(true, ProviderRecord.UNREACHABLE, cause))
            .isEqualTo(Action.LEAVE_TO_RECONCILER);
    }

    @Test
    void failsOnlyWhenTheProviderFailedEveryAttemptAndHoldsNoCharge() {
        assertThat(DeadLetterDecision.decide(true, ProviderRecord.NO_CHARGE, Cause.PROVIDER_UNAVAILABLE))
            .isEqualTo(Action.FAIL_RETRIES_EXHAUSTED);
        assertThat(DeadLetterDecision.decide(true, ProviderRecord.NO_CHARGE, Cause.DATABASE_UNAVAILABLE))
            .isEqualTo(Action.PROCESS_AGAIN);
        assertThat(DeadLetterDecision.decide(true, ProviderRecord.NO_CHARGE, Cause.OTHER))
            .isEqualTo(Action.LEAVE_TO_RECONCILER);
    }

    @Test
    void neverFailsAPaymentTheProviderMayHaveApproved() {
        for (Cause cause : Cause.values()) {
            for (ProviderRecord provider : new ProviderRecord[] { ProviderRecord.OUTCOME,
                    ProviderRecord.UNREACHABLE }) {
                assertThat(DeadLetterDecision.decide(true, provider, cause))
                    .isNotEqualTo(Action.FAIL_RETRIES_EXHAUSTED);
            }
        }
    }

    @Test
    void readsTheCauseFromTheDeadLetterStackTrace() {
        assertThat(Cause.fromStackTrace(stackTraceOf(new IllegalStateException("listener failed",
                new PaymentProvider.TransientProviderFailure("provider unavailable")))))
            .isEqualTo(Cause.PROVIDER_UNAVAILABLE);
        assertThat(Cause.fromStackTrace(stackTraceOf(new IllegalStateException("listener failed",
                new TransientDatabaseFailure(new TransactionSystemException("JDBC rollback failed"))))))
            .isEqualTo(Cause.DATABASE_UNAVAILABLE);
        assertThat(Cause.fromStackTrace(stackTraceOf(new IllegalStateException("a defect")))).isEqualTo(Cause.OTHER);
        assertThat(Cause.fromStackTrace(null)).isEqualTo(Cause.OTHER);
    }

    @Test
    void recognisesTheFailuresOfAnUnavailableDatabaseAnywhereInTheChain() {
        assertThat(TransientDatabaseFailure
            .isCauseOf(new CannotCreateTransactionException("Could not open JDBC Connection for transaction",
                    new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))))
            .isTrue();
        assertThat(TransientDatabaseFailure
            .isCauseOf(new IllegalStateException(new DataAccessResourceFailureException("JDBC commit")))).isTrue();
        assertThat(TransientDatabaseFailure.isCauseOf(new TransactionSystemException("JDBC rollback failed"))).isTrue();
        assertThat(TransientDatabaseFailure.isCauseOf(new DataIntegrityViolationException("duplicate key"))).isFalse();
        assertThat(TransientDatabaseFailure
            .isCauseOf(new PaymentProvider.TransientProviderFailure("provider unavailable"))).isFalse();
    }

    private static String stackTraceOf(Throwable failure) {
        var out = new java.io.StringWriter();
        failure.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

}
