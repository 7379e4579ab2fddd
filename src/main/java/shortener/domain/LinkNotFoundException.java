package shortener.domain;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import shortener.ShortCode;

/** No link has this code (never had, or it was deleted). */
public class LinkNotFoundException extends ErrorResponseException {

    public LinkNotFoundException(ShortCode code) {
        super(HttpStatus.NOT_FOUND,
                ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No link has the code " + code + "."), null);
    }

}
