package payments.grpc;

import java.util.Map;
import java.util.Set;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import jakarta.validation.ConstraintViolation;
import org.jspecify.annotations.Nullable;
import ratelimit.RateLimitDecision;

/**
 * HTTP problems as gRPC errors: a {@code google.rpc.Status} whose {@code ErrorInfo}
 * reason is the problem's code (as listed at /problems), with its extension members as
 * metadata. The code follows the HTTP status, with the conflicts split the way gRPC tells
 * clients what to do: retry the same call (ABORTED) or change something first
 * (FAILED_PRECONDITION).
 *
 * <table>
 * <tr>
 * <th>HTTP</th>
 * <th>gRPC</th>
 * </tr>
 * <tr>
 * <td>400</td>
 * <td>INVALID_ARGUMENT</td>
 * </tr>
 * <tr>
 * <td>401 / 403</td>
 * <td>UNAUTHENTICATED / PERMISSION_DENIED</td>
 * </tr>
 * <tr>
 * <td>404</td>
 * <td>NOT_FOUND</td>
 * </tr>
 * <tr>
 * <td>409 concurrent-change, idempotency-key-in-flight</td>
 * <td>ABORTED</td>
 * </tr>
 * <tr>
 * <td>409 other, 410, 422</td>
 * <td>FAILED_PRECONDITION</td>
 * </tr>
 * <tr>
 * <td>429</td>
 * <td>RESOURCE_EXHAUSTED (+ RetryInfo)</td>
 * </tr>
 * <tr>
 * <td>503</td>
 * <td>UNAVAILABLE</td>
 * </tr>
 * <tr>
 * <td>other 5xx</td>
 * <td>INTERNAL</td>
 * </tr>
 * </table>
 */
public final class GrpcProblems {

    /** ErrorInfo's domain: the service that gave the reason. */
    public static final String DOMAIN = "payments.quartet.dev";

    private static final Set<String> RETRY_AS_IS = Set.of("concurrent-change", "idempotency-key-in-flight");

    private GrpcProblems() {
    }

    /**
     * @param code the problem code; null for the general kind of {@code httpStatus}
     * @param extensions the problem's extension members, as ErrorInfo metadata
     */
    public static StatusRuntimeException of(int httpStatus, @Nullable String code, String detail,
            Map<String, ?> extensions) {
        String reason = code != null ? code : generalCode(httpStatus);
        var info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
        extensions.forEach((name, value) -> {
            if (value != null) {
                info.putMetadata(name, String.valueOf(value));
            }
        });
        return toException(com.google.rpc.Status.newBuilder()
            .setCode(grpcCode(httpStatus, reason).getNumber())
            .setMessage(detail == null ? "" : detail)
            .addDetails(Any.pack(info.build()))
            .build());
    }

    /**
     * A field of the request that is missing or of the wrong form: INVALID_ARGUMENT,
     * reason invalid-field.
     */
    public static StatusRuntimeException invalidField(String field, String description) {
        return invalidFields(Map.of(field, description));
    }

    public static StatusRuntimeException invalidFields(Map<String, String> violations) {
        var badRequest = BadRequest.newBuilder();
        violations.forEach((field, description) -> badRequest
            .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description)));
        String message = violations.entrySet()
            .stream()
            .map(entry -> entry.getKey() + ": " + entry.getValue())
            .sorted()
            .reduce((a, b) -> a + "; " + b)
            .orElse("invalid request");
        return toException(com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("invalid-field").setDomain(DOMAIN).build()))
            .addDetails(Any.pack(badRequest.build()))
            .build());
    }

    /** Bean Validation's verdict on a request record, field by field. */
    public static StatusRuntimeException invalid(Set<? extends ConstraintViolation<?>> violations,
            Map<String, String> fieldNames) {
        var byField = new java.util.TreeMap<String, String>();
        violations.forEach(violation -> {
            String path = violation.getPropertyPath().toString();
            byField.merge(fieldNames.getOrDefault(path, path), violation.getMessage(), (a, b) -> a + ", " + b);
        });
        return invalidFields(byField);
    }

    /**
     * Over the route's rate limit: RESOURCE_EXHAUSTED, with RetryInfo saying when to try
     * again.
     */
    public static StatusRuntimeException rateLimited(RateLimitDecision decision) {
        long retryAfter = decision.retryAfterSeconds();
        return toException(com.google.rpc.Status.newBuilder()
            .setCode(Code.RESOURCE_EXHAUSTED.getNumber())
            .setMessage("Rate limit '" + decision.policy() + "' exceeded; retry in " + retryAfter + " s.")
            .addDetails(Any.pack(ErrorInfo.newBuilder()
                .setReason("rate-limited")
                .setDomain(DOMAIN)
                .putMetadata("policy", decision.policy())
                .build()))
            .addDetails(Any
                .pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(retryAfter)).build()))
            .build());
    }

    static Code grpcCode(int httpStatus, String reason) {
        return switch (httpStatus) {
            case 400 -> Code.INVALID_ARGUMENT;
            case 401 -> Code.UNAUTHENTICATED;
            case 403 -> Code.PERMISSION_DENIED;
            case 404 -> Code.NOT_FOUND;
            case 409 -> RETRY_AS_IS.contains(reason) ? Code.ABORTED : Code.FAILED_PRECONDITION;
            case 410, 422 -> Code.FAILED_PRECONDITION;
            case 429 -> Code.RESOURCE_EXHAUSTED;
            case 503 -> Code.UNAVAILABLE;
            default -> httpStatus >= 500 ? Code.INTERNAL : Code.INVALID_ARGUMENT;
        };
    }

    /** The general problem code of a status, as /problems names it. */
    static String generalCode(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> "bad-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 409 -> "conflict";
            case 410 -> "gone";
            case 422 -> "unprocessable-content";
            case 429 -> "rate-limited";
            case 503 -> "service-unavailable";
            default -> httpStatus >= 500 ? "internal-error" : "bad-request";
        };
    }

    private static StatusRuntimeException toException(com.google.rpc.Status status) {
        return StatusProto.toStatusRuntimeException(status);
    }

}
