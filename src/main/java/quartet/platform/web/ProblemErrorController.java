package quartet.platform.web;

import java.net.URI;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page as an RFC 9457 problem, in place of Spring Boot's JSON error
 * map: errors raised outside Spring MVC (the security firewall refusing a path, a filter
 * calling sendError) leave as problem+json like all the others. A client requesting the
 * error page itself gets 404; Boot's controller answered that with 500.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        HttpStatus status = HttpStatus.NOT_FOUND;
        String path = request.getRequestURI();
        if (request.getDispatcherType() == DispatcherType.ERROR) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            HttpStatus known = code instanceof Integer number ? HttpStatus.resolve(number) : null;
            status = known == null ? HttpStatus.INTERNAL_SERVER_ERROR : known;
            Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            path = original instanceof String uri ? uri : path;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, status.is5xxServerError()
                ? "An unexpected error occurred." : "The request was refused: " + status.getReasonPhrase() + ".");
        try {
            problem.setInstance(URI.create(path));
        }
        catch (IllegalArgumentException e) {
            // a path that is not a valid URI reference is left out
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

}
