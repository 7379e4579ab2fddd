package shortener.web;

import java.net.URI;

import org.springframework.stereotype.Component;
import shortener.ShortCode;
import shortener.ShortenerSettings;
import shortener.domain.Link;

/**
 * Short URLs on the configured public origin, and the redirect kind a link answers with.
 */
@Component
class ShortUrls {

    private final String origin;

    private final boolean permanentByDefault;

    ShortUrls(ShortenerSettings settings) {
        this.origin = settings.baseUrl().toString().replaceAll("/+$", "");
        this.permanentByDefault = settings.permanentRedirects();
    }

    URI of(ShortCode code) {
        return URI.create(origin + "/" + code.value());
    }

    boolean isPermanent(Link link) {
        return link.redirectsPermanently(permanentByDefault);
    }

}
