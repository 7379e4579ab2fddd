package payments.processing;

import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.List;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The database could not be reached, or could not confirm a commit, while a payment was
 * being processed: worth retrying, and it says nothing about the charge. Processing is
 * idempotent (a settled payment is left alone, the provider answers a repeated charge
 * with its first answer), so trying again is always safe.
 */
class TransientDatabaseFailure extends RuntimeException {

    /**
     * What Spring and the driver throw when the database goes away: no pooled connection
     * in time ({@code CannotCreateTransactionException} around Hikari's
     * {@code SQLTransientConnectionException}), a connection that died under a statement
     * or a commit ({@code DataAccessResourceFailureException}, translated from SQL states
     * 08 and 57), lock and serialization conflicts
     * ({@code TransientDataAccessException}), and a commit the transaction manager could
     * not complete ({@code TransactionSystemException}). The raw JDBC types cover a
     * failure that escaped translation.
     */
    static final List<Class<? extends Exception>> CAUSES = List.of(TransientDataAccessException.class,
            RecoverableDataAccessException.class, DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class, TransactionSystemException.class, SQLTransientException.class,
            SQLRecoverableException.class, SQLNonTransientConnectionException.class);

    TransientDatabaseFailure(Throwable cause) {
        super("database unavailable: " + cause.getMessage(), cause);
    }

    /** Whether the failure, or anything it was caused by, is one of {@link #CAUSES}. */
    static boolean isCauseOf(Throwable failure) {
        for (Throwable current = failure; current != null; current = current.getCause() == current ? null
                : current.getCause()) {
            Throwable candidate = current;
            if (CAUSES.stream().anyMatch(type -> type.isInstance(candidate))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The failure as a {@code TransientDatabaseFailure} when the database is behind it,
     * otherwise unchanged.
     */
    static RuntimeException classify(RuntimeException failure) {
        return failure instanceof TransientDatabaseFailure || !isCauseOf(failure) ? failure
                : new TransientDatabaseFailure(failure);
    }

}
