package shortener.web;

import java.net.URI;
import java.time.Instant;

import shortener.domain.Link;

/**
 * A link as the API shows it.
 *
 * @param code its code
 * @param shortUrl the URL to share
 * @param targetUrl where it redirects
 * @param customAlias whether the code was chosen rather than generated
 * @param createdAt when it was created
 * @param expiresAt when it stops redirecting, if ever
 * @param maxClicks its click limit, if any
 * @param permanentRedirect whether it answers 301 rather than 302
 * @param state active, expired or disabled (an exhausted click limit shows on redirect,
 * as 410)
 */
record LinkView(String code, URI shortUrl, URI targetUrl, boolean customAlias, Instant createdAt, Instant expiresAt,
        Long maxClicks, boolean permanentRedirect, String state) {

    static LinkView of(Link link, ShortUrls urls, Instant now) {
        return new LinkView(link.code().value(), urls.of(link.code()), link.target().value(), link.customAlias(),
                link.createdAt(), link.expiresAt(), link.maxClicks(), urls.isPermanent(link),
                link.stateAt(now).name().toLowerCase());
    }
}
