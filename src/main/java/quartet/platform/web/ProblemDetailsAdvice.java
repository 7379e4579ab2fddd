package quartet.platform.web;

import java.net.URI;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;

import jakarta.validation.ConstraintViolationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves as RFC 9457 problem+json: Spring MVC's own exceptions through the
 * base class (unknown route, wrong method, unsupported media type…), plus validation
 * details, a 503 with Retry-After while PostgreSQL or Redis is unreachable, and a generic
 * 500 that never leaks internals.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.LOWEST_PRECEDENCE)
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Log log = LogFactory.getLog(ProblemDetailsAdvice.class);

    private static final URI INVALID_FIELD = URI.create("/problems/invalid-field");

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ex.getBody();
        problem.setType(INVALID_FIELD);
        problem.setDetail("The request is invalid; see 'errors'.");
        List<Map<String, String>> errors = ex.getBindingResult()
            .getFieldErrors()
            .stream()
            .map(error -> Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage())))
            .toList();
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON for this resource.");
        problem.setType(URI.create("/problems/malformed-body"));
        JsonFieldErrors.of(ex).ifPresent(error -> {
            problem.setType(INVALID_FIELD);
            problem.setDetail("The request is invalid; see 'errors'.");
            problem.setProperty("errors", List.of(Map.of("field", error.field(), "message", error.message())));
        });
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request is invalid; see 'errors'.");
        problem.setType(INVALID_FIELD);
        problem.setProperty("errors",
                ex.getConstraintViolations()
                    .stream()
                    .map(violation -> Map.of("field", violation.getPropertyPath().toString(), "message",
                            violation.getMessage()))
                    .toList());
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * A header or parameter the security firewall refuses when the application first
     * reads it: the client's fault, so a 400 and no stack trace (anyone could fill the
     * log with them).
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<Object> rejected(RequestRejectedException ex) {
        log.debug("Request refused by the firewall: " + ex.getMessage());
        return problem(HttpStatus.BAD_REQUEST, "The request carries a header or parameter value that is not allowed.");
    }

    /**
     * A lost optimistic lock or a unique key taken meanwhile: what happened, never which
     * table or entity.
     */
    @ExceptionHandler({ OptimisticLockingFailureException.class, DuplicateKeyException.class })
    ResponseEntity<Object> concurrentChange(RuntimeException ex) {
        log.debug("Concurrent change: " + ex.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "The resource was changed by a concurrent request; read it again and retry.");
        problem.setType(URI.create("/problems/concurrent-change"));
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex) {
        if (unstorableText(ex)) {
            // Valid JSON, but PostgreSQL cannot store it; the transaction rolled back, so
            // nothing was kept.
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The request contains a character that cannot be stored (for example U+0000).");
            problem.setType(URI.create("/problems/unstorable-text"));
            return ResponseEntity.badRequest().body(problem);
        }
        if (backingServiceDown(ex)) {
            // The request was fine and may succeed shortly: not a 500.
            log.warn("A backing service is unavailable: " + ex);
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        "A backing service is temporarily unavailable; retry shortly."));
        }
        log.error("Unhandled error", ex);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.");
    }

    /**
     * Text PostgreSQL refuses to store, anywhere in the cause chain: a NUL character in a
     * text column (SQLState 22021) or in a JSON document (22P05). It comes from the
     * client's input.
     */
    static boolean unstorableText(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql
                    && ("22021".equals(sql.getSQLState()) || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * PostgreSQL or Redis unreachable, anywhere in the cause chain: a connection that
     * cannot be had or broke mid-transaction (SQLState class 08, or a rollback on a
     * connection the pool already closed), a transaction that cannot begin, a query
     * timeout.
     */
    static boolean backingServiceDown(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof TransientDataAccessResourceException || cause instanceof QueryTimeoutException
                    || cause instanceof CannotCreateTransactionException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLNonTransientConnectionException || (cause instanceof SQLException sql
                            && sql.getSQLState() != null && sql.getSQLState().startsWith("08"))) {
                return true;
            }
            // The rollback after a broken connection fails too, and hides the first
            // failure.
            if (cause instanceof TransactionSystemException failed
                    && (backingServiceDown(failed.getApplicationException())
                            || (failed.getCause() instanceof SQLException sql && sql.getSQLState() == null))) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<Object> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }

}
