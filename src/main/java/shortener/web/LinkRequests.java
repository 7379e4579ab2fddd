package shortener.web;

import java.time.Duration;
import java.time.Instant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import shortener.service.LinkChanges;
import shortener.service.NewLink;

/** The JSON bodies the link API accepts. */
final class LinkRequests {

    private LinkRequests() {
    }

    /**
     * Create a link.
     *
     * @param targetUrl where it should redirect: http or https, at most 2048 characters
     * @param alias a custom code, 3 to 64 characters of letters, digits, _ and -, or null
     * @param expiresAt when it should stop redirecting
     * @param ttl how long from now it should redirect (ISO-8601, e.g. PT24H); not with
     * expiresAt
     * @param maxClicks how many redirects it should serve at most
     * @param permanentRedirect 301 rather than 302; the configured default when absent
     */
    record Create(@NotBlank @Size(max = 2048) String targetUrl, String alias, Instant expiresAt, Duration ttl,
            @Positive Long maxClicks, Boolean permanentRedirect) {

        NewLink toNewLink() {
            return new NewLink(targetUrl, alias, expiresAt, ttl, maxClicks, permanentRedirect);
        }
    }

    /**
     * Change a link; absent fields stay as they are.
     *
     * @param expiresAt a new expiry time
     * @param ttl a new expiry counted from now
     * @param neverExpires true removes the expiry
     * @param maxClicks a new click limit
     * @param unlimitedClicks true removes the click limit
     * @param disabled true switches the link off, false on again
     */
    record Change(Instant expiresAt, Duration ttl, Boolean neverExpires, @Positive Long maxClicks,
            Boolean unlimitedClicks, Boolean disabled) {

        LinkChanges toChanges() {
            return new LinkChanges(expiresAt, ttl, neverExpires, maxClicks, unlimitedClicks, disabled);
        }
    }

}
