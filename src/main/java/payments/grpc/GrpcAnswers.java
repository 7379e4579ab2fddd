package payments.grpc;

import java.util.LinkedHashMap;
import java.util.Map;

import io.grpc.StatusRuntimeException;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import payments.idempotency.IdempotentExecution;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an answer of FlowPay's HTTP use cases for a gRPC call. A stored answer is the
 * JSON the HTTP API sent (or will replay), so a key used over one transport replays over
 * the other: a success is read back into its view, a problem becomes the matching gRPC
 * error.
 */
@Component
public class GrpcAnswers {

    private static final java.util.Set<String> PROBLEM_MEMBERS = java.util.Set.of("type", "title", "status", "detail",
            "instance", "code");

    private final JsonMapper json;

    GrpcAnswers(JsonMapper json) {
        this.json = json;
    }

    /**
     * @return the answer's body as {@code view}
     * @throws StatusRuntimeException for a problem answer
     */
    public <T> T read(ResponseEntity<String> answer, Class<T> view) {
        boolean replayed = "true".equals(answer.getHeaders().getFirst(IdempotentExecution.REPLAYED));
        int status = answer.getStatusCode().value();
        if (status >= 400) {
            StatusRuntimeException refusal = problem(status, answer.getBody());
            if (replayed) {
                // An error has no headers of its own: the mark goes with the status, in
                // the trailers.
                refusal.getTrailers().put(GrpcCalls.REPLAYED, "true");
            }
            throw refusal;
        }
        if (replayed) {
            GrpcCalls.markReplayed();
        }
        return json.readValue(answer.getBody(), view);
    }

    /**
     * A problem+json body as a gRPC error: its code is the ErrorInfo reason, its
     * extensions the metadata.
     */
    StatusRuntimeException problem(int status, String body) {
        JsonNode problem = json.readTree(body);
        String type = problem.path("type").asString("");
        String code = type.startsWith("/problems/") ? type.substring("/problems/".length()) : null;
        Map<String, Object> extensions = new LinkedHashMap<>();
        problem.properties().forEach(member -> {
            if (!PROBLEM_MEMBERS.contains(member.getKey())) {
                extensions.put(member.getKey(),
                        member.getValue().isString() ? member.getValue().asString() : member.getValue().toString());
            }
        });
        return GrpcProblems.of(status, code, problem.path("detail").asString(null), extensions);
    }

}
