package shortener.service;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import shortener.ShortCode;

/**
 * A link with a click limit cannot be followed while Redis is unreachable: the limit is
 * exact only through Redis's atomic counter, so we refuse (503) rather than over-serve.
 */
public class ClickLimitUnavailableException extends ErrorResponseException {

    static final int RETRY_AFTER_SECONDS = 5;

    ClickLimitUnavailableException(ShortCode code) {
        super(HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        "The link " + code + " has a click limit that cannot be checked right now; try again shortly."),
                null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
    }

}
