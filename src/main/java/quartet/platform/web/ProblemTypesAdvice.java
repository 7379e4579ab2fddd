package quartet.platform.web;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every problem Spring MVC writes, from any module's controller or exception handler,
 * leaves with its documented type and code ({@link ProblemTypes}): a
 * {@link ProblemDetail}, and a problem a controller wrote as JSON text itself (FlowPay's
 * idempotent answers, stored for replay).
 */
@ControllerAdvice
class ProblemTypesAdvice implements ResponseBodyAdvice<Object> {

    private final JsonMapper json;

    ProblemTypesAdvice(JsonMapper json) {
        this.json = json;
    }

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType selectedContentType,
            Class<? extends HttpMessageConverter<?>> selectedConverterType, ServerHttpRequest request,
            ServerHttpResponse response) {
        if (body instanceof ProblemDetail problem) {
            return ProblemTypes.classify(problem);
        }
        if (body instanceof String text && selectedContentType.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)) {
            return classified(text);
        }
        return body;
    }

    private String classified(String text) {
        try {
            if (json.readTree(text) instanceof ObjectNode problem) {
                ProblemTypes.Kind kind = ProblemTypes.of(problem.path("type").asString(null),
                        problem.path("status").asInt(500));
                problem.put("type", kind.type().toString());
                problem.put("code", kind.code());
                return json.writeValueAsString(problem);
            }
        }
        catch (JacksonException e) {
            // not JSON after all: leave it as written
        }
        return text;
    }

}
