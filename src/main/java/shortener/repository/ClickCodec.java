package shortener.repository;

import java.time.Instant;

import shortener.ClicksRecorded.Click;
import shortener.ShortCode;

/**
 * A click as one compact Redis list element: code, epoch milliseconds, bot flag, referrer
 * host.
 */
final class ClickCodec {

    private static final char SEPARATOR = ' ';

    private ClickCodec() {
    }

    static String encode(Click click) {
        return click.code().value() + SEPARATOR + click.at().toEpochMilli() + SEPARATOR + (click.bot() ? '1' : '0')
                + SEPARATOR + (click.referrerHost() == null ? "" : click.referrerHost());
    }

    static Click decode(String encoded) {
        String[] parts = encoded.split(String.valueOf(SEPARATOR), 4);
        String referrer = parts.length < 4 || parts[3].isEmpty() ? null : parts[3];
        return new Click(ShortCode.of(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])), referrer,
                "1".equals(parts[2]));
    }

}
