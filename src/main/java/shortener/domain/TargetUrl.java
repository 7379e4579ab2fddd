package shortener.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where a link redirects: an absolute http or https URL of at most 2048 characters with a
 * host and no user info (a user info part lets a URL pose as another host). Whether the
 * host is an acceptable destination is {@link TargetPolicy}'s call.
 *
 * @param value the URL
 */
public record TargetUrl(@JsonValue URI value) {

    public static final int MAX_LENGTH = 2048;

    public TargetUrl {
        String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidLinkException("targetUrl", "must be an http or https URL");
        }
        if (value.toString().length() > MAX_LENGTH) {
            throw new InvalidLinkException("targetUrl", "must be at most " + MAX_LENGTH + " characters");
        }
        if (value.getHost() == null || value.getHost().isEmpty()) {
            throw new InvalidLinkException("targetUrl", "must name a host");
        }
        if (value.getRawUserInfo() != null) {
            throw new InvalidLinkException("targetUrl", "must not contain user info");
        }
    }

    @JsonCreator
    public static TargetUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new InvalidLinkException("targetUrl", "is required");
        }
        if (url.length() > MAX_LENGTH) {
            throw new InvalidLinkException("targetUrl", "must be at most " + MAX_LENGTH + " characters");
        }
        try {
            return new TargetUrl(new URI(url.strip()));
        }
        catch (URISyntaxException e) {
            throw new InvalidLinkException("targetUrl", "is not a valid URL");
        }
    }

    /**
     * The host in lower case, without brackets around IPv6 literals and without a
     * trailing dot.
     */
    public String host() {
        String host = value.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
