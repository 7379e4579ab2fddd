package shortener.domain;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import shortener.ShortCode;

/** Another link already has the requested custom alias. */
public class AliasTakenException extends ErrorResponseException {

    public AliasTakenException(ShortCode alias) {
        super(HttpStatus.CONFLICT,
                ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "The alias " + alias + " is taken."), null);
        setType(java.net.URI.create("/problems/alias-taken"));
    }

}
