package shortener.repository;

import java.net.URI;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import shortener.ShortCode;
import shortener.domain.Link;
import shortener.domain.TargetUrl;

/**
 * A link as its Redis cache entry, one line that follow-link.lua reads the click limit,
 * the expiry and the disabled switch from with one pattern match, and that decodes
 * without a JSON parser: {@code L1 <maxClicks> <expiresAt> <flags> <createdAt> <target>}.
 * Times are epoch microseconds (PostgreSQL keeps no finer ones), '-' stands for none, the
 * flags are the redirect kind (P 301, T 302, '-' the configured default), D when disabled
 * and A for a custom alias. The target comes last because it is the only field that is
 * not a fixed shape. The code is the entry's key.
 */
final class LinkCodec {

    private static final String VERSION = "L1 ";

    private static final char SEPARATOR = ' ';

    private static final String NONE = "-";

    private static final long MICROS_PER_SECOND = 1_000_000;

    private LinkCodec() {
    }

    static String encode(Link link) {
        return VERSION + (link.maxClicks() == null ? NONE : link.maxClicks().toString()) + SEPARATOR
                + field(link.expiresAt()) + SEPARATOR
                + (link.permanentRedirect() == null ? '-' : link.permanentRedirect() ? 'P' : 'T')
                + (link.disabled() ? 'D' : '-') + (link.customAlias() ? 'A' : '-') + SEPARATOR + field(link.createdAt())
                + SEPARATOR + link.target();
    }

    /**
     * The link encoded in {@code entry} from {@code offset} on, or null when it is not in
     * this form (an entry an older version wrote): the caller treats that as nothing
     * cached.
     */
    static @Nullable Link decode(ShortCode code, String entry, int offset) {
        if (!entry.startsWith(VERSION, offset)) {
            return null;
        }
        int limitEnd = entry.indexOf(SEPARATOR, offset + VERSION.length());
        int expiryEnd = limitEnd < 0 ? -1 : entry.indexOf(SEPARATOR, limitEnd + 1);
        int flagsEnd = expiryEnd + 4;
        int createdEnd = expiryEnd < 0 || flagsEnd >= entry.length() ? -1 : entry.indexOf(SEPARATOR, flagsEnd + 1);
        if (createdEnd < 0 || entry.charAt(flagsEnd) != SEPARATOR) {
            return null;
        }
        String limit = entry.substring(offset + VERSION.length(), limitEnd);
        char redirect = entry.charAt(expiryEnd + 1);
        return new Link(code, new TargetUrl(URI.create(entry.substring(createdEnd + 1))),
                entry.charAt(expiryEnd + 3) == 'A', instant(entry.substring(flagsEnd + 1, createdEnd)),
                instant(entry.substring(limitEnd + 1, expiryEnd)), limit.equals(NONE) ? null : Long.valueOf(limit),
                redirect == '-' ? null : redirect == 'P', entry.charAt(expiryEnd + 2) == 'D');
    }

    /**
     * Whole microseconds since the epoch, rounded down: what follow-link.lua compares
     * expiry in.
     */
    static long epochMicros(Instant instant) {
        // Not ChronoUnit.MICROS.between: it counts in nanoseconds, which overflow after
        // the year 2262.
        return instant.getEpochSecond() * MICROS_PER_SECOND + instant.getNano() / 1_000;
    }

    private static String field(@Nullable Instant instant) {
        return instant == null ? NONE : Long.toString(epochMicros(instant));
    }

    private static @Nullable Instant instant(String micros) {
        if (micros.equals(NONE)) {
            return null;
        }
        long epochMicros = Long.parseLong(micros);
        return Instant.ofEpochSecond(Math.floorDiv(epochMicros, MICROS_PER_SECOND),
                Math.floorMod(epochMicros, MICROS_PER_SECOND) * 1_000);
    }

}
