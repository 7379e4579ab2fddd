package shortener.web;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import shortener.ShortCode;
import shortener.domain.Link;
import shortener.service.Redirect;
import shortener.service.Redirects;

/**
 * The public redirects: /{code} follows a link, /{code}+ shows where it leads instead.
 * The code pattern keeps the root, the actuator, the API docs and anything with a dot off
 * these routes.
 */
@RestController
class RedirectController {

    private static final String CODE = "/{code:" + ShortCode.PATTERN + "}";

    private final Redirects redirects;

    private final ShortUrls urls;

    private final Clock clock;

    RedirectController(Redirects redirects, ShortUrls urls, Clock clock) {
        this.redirects = redirects;
        this.urls = urls;
        this.clock = clock;
    }

    @GetMapping(CODE)
    ResponseEntity<Void> follow(@PathVariable String code,
            @RequestHeader(name = HttpHeaders.REFERER, required = false) String referer,
            @RequestHeader(name = HttpHeaders.USER_AGENT, required = false) String userAgent) {
        Redirect redirect = redirects.follow(ShortCode.of(code), referer, userAgent);
        return ResponseEntity.status(redirect.permanent() ? HttpStatus.MOVED_PERMANENTLY : HttpStatus.FOUND)
            .location(redirect.target())
            .cacheControl(CacheControl.maxAge(redirect.maxAge()).cachePrivate())
            .build();
    }

    /**
     * Where a link leads, for people who check before they click.
     *
     * @param code its code
     * @param shortUrl the short URL
     * @param targetUrl where it redirects
     * @param createdAt when it was created
     * @param expiresAt when it stops redirecting, if ever
     * @param state active, expired or disabled
     */
    record Details(String code, URI shortUrl, URI targetUrl, Instant createdAt, Instant expiresAt, String state) {
    }

    @GetMapping(CODE + "+")
    Details details(@PathVariable String code) {
        Link link = redirects.find(ShortCode.of(code));
        return new Details(link.code().value(), urls.of(link.code()), link.target().value(), link.createdAt(),
                link.expiresAt(), link.stateAt(clock.instant()).name().toLowerCase());
    }

}
