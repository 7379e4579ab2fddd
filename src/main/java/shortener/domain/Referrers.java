package shortener.domain;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The referring host of a click, from the Referer header; anything unusable counts as no
 * referrer.
 */
public final class Referrers {

    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]{1,255}");

    private Referrers() {
    }

    public static @Nullable String hostOf(@Nullable String referer) {
        if (referer == null || referer.isBlank()) {
            return null;
        }
        try {
            String host = URI.create(referer.strip()).getHost();
            if (host == null) {
                return null;
            }
            host = host.toLowerCase(Locale.ROOT);
            return HOST.matcher(host).matches() ? host : null;
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

}
