package quartet.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures are the client's input (400), an unreachable store (503, retry), or a
 * bug (500).
 */
class BackingServiceDownTest {

    static Stream<Arguments> failures() {
        TransactionSystemException rollbackOnClosedConnection = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        TransactionSystemException rollbackHidingOutage = new TransactionSystemException("rollback failed");
        rollbackHidingOutage.initApplicationException(new DataAccessResourceFailureException("connection reset"));
        return Stream.of(Arguments.of("resource failure", new DataAccessResourceFailureException("down"), true),
                Arguments.of("resource failure as a cause",
                        new IllegalStateException("wrapped", new DataAccessResourceFailureException("down")), true),
                Arguments.of("query timeout", new QueryTimeoutException("slow"), true),
                Arguments.of("transaction cannot begin", new CannotCreateTransactionException("no connection"), true),
                Arguments.of("pool timeout",
                        new SQLTransientConnectionException("HikariPool - Connection is not available"), true),
                Arguments.of("connection refused", new SQLNonTransientConnectionException("refused"), true),
                Arguments.of("SQLState class 08", new RuntimeException(new SQLException("I/O error", "08006")), true),
                Arguments.of("rollback on a closed connection", rollbackOnClosedConnection, true),
                Arguments.of("rollback hiding the outage", rollbackHidingOutage, true),
                Arguments.of("constraint violation", new DataIntegrityViolationException("duplicate key"), false),
                Arguments.of("SQL syntax error", new RuntimeException(new SQLException("syntax", "42601")), false),
                Arguments.of("plain bug", new NullPointerException(), false),
                Arguments.of("connect exception outside the stores",
                        new RuntimeException(new ConnectException("refused")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void classifiesTheFailure(String name, Throwable failure, boolean unavailable) {
        assertThat(ProblemDetailsAdvice.backingServiceDown(failure)).isEqualTo(unavailable);
    }

    static Stream<Arguments> storageRefusals() {
        return Stream.of(
                Arguments.of("NUL in a text column",
                        new DataIntegrityViolationException("insert",
                                new SQLException("invalid byte sequence", "22021")),
                        true),
                Arguments.of("NUL in a JSON document",
                        new RuntimeException(new SQLException("unsupported Unicode escape", "22P05")), true),
                Arguments.of("numeric overflow", new RuntimeException(new SQLException("out of range", "22003")),
                        false),
                Arguments.of("constraint violation",
                        new DataIntegrityViolationException("duplicate key", new SQLException("dup", "23505")), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storageRefusals")
    void tellsTextTheStoreCannotKeepFromOtherFailures(String name, Throwable failure, boolean clientInput) {
        assertThat(ProblemDetailsAdvice.unstorableText(failure)).isEqualTo(clientInput);
    }

}
