package payments.grpc;

import java.util.Map;
import java.util.NoSuchElementException;

import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;

/**
 * What PaymentsErrors and the platform's problem advice do for HTTP, for gRPC: every
 * exception a service method lets escape becomes a google.rpc.Status with the HTTP
 * problem's code as its reason. Bad values are INVALID_ARGUMENT, unknown resources
 * NOT_FOUND, illegal moves FAILED_PRECONDITION, lost races ABORTED; anything unexpected
 * is INTERNAL with nothing of it shown (it is logged), never UNKNOWN.
 */
@Component
class GrpcExceptions implements GrpcExceptionHandler {

    private static final Log log = LogFactory.getLog(GrpcExceptions.class);

    @Override
    public StatusException handleException(Throwable exception) {
        StatusRuntimeException translated = translate(exception);
        return translated.getStatus().asException(translated.getTrailers());
    }

    static StatusRuntimeException translate(Throwable exception) {
        if (exception instanceof StatusRuntimeException status) {
            return status;
        }
        if (exception instanceof StatusException status) {
            return status.getStatus().asRuntimeException(status.getTrailers());
        }
        if (exception instanceof ErrorResponse response) {
            var body = response.getBody();
            String type = body.getType() == null ? "" : body.getType().toString();
            String code = type.startsWith("/problems/") ? type.substring("/problems/".length()) : null;
            Map<String, Object> extensions = body.getProperties() == null ? Map.of() : body.getProperties();
            return GrpcProblems.of(response.getStatusCode().value(), code, body.getDetail(), extensions);
        }
        if (exception instanceof OptimisticLockingFailureException || exception instanceof DuplicateKeyException) {
            return GrpcProblems.of(409, "concurrent-change",
                    "The resource was changed by a concurrent request; read it again and retry", Map.of());
        }
        if (exception instanceof IllegalArgumentException) {
            return GrpcProblems.of(400, null, exception.getMessage(), Map.of());
        }
        if (exception instanceof NoSuchElementException) {
            return GrpcProblems.of(404, null, exception.getMessage(), Map.of());
        }
        if (exception instanceof IllegalStateException) {
            return GrpcProblems.of(409, null, exception.getMessage(), Map.of());
        }
        if (exception instanceof DataAccessResourceFailureException
                || exception instanceof TransientDataAccessException) {
            log.warn("A gRPC call failed on a backing service: " + exception.getClass().getSimpleName());
            return GrpcProblems.of(503, null, "A backing service is unreachable; retry shortly", Map.of());
        }
        log.error("A gRPC call failed unexpectedly", exception);
        return GrpcProblems.of(500, null, "An unexpected error; it is logged.", Map.of());
    }

}
