package shortener.domain;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import shortener.ShortCode;

/** The link exists but no longer redirects: 410 Gone, with the reason. */
public class LinkGoneException extends ErrorResponseException {

    public LinkGoneException(ShortCode code, LinkState reason) {
        super(HttpStatus.GONE, problem(code, reason), null);
    }

    private static ProblemDetail problem(ShortCode code, LinkState reason) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.GONE,
                "The link " + code + " no longer redirects: it is " + reason.name().toLowerCase() + ".");
        problem.setType(java.net.URI.create("/problems/link-gone"));
        problem.setProperty("reason", reason.name().toLowerCase());
        return problem;
    }

}
