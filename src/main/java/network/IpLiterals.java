package network;

import java.util.regex.Pattern;

/** How hosts write IPv4 addresses, where readers of a URL disagree. */
public final class IpLiterals {

    // Hosts made only of decimal or hex numbers: IPv4 literals in one of their ambiguous
    // forms.
    private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern DOTTED_QUAD = Pattern
        .compile("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");

    private IpLiterals() {
    }

    /**
     * Whether the host is a number that is not four plain decimals: Java reads 0177.0.0.1
     * as 177.0.0.1, curl and browsers as 127.0.0.1, and 2130706433 or 0x7f.1 are
     * addresses to a browser. Whoever checks such a host may not be checking what is
     * connected to.
     */
    public static boolean isAmbiguousIpv4(String host) {
        return NUMERIC_HOST.matcher(host).matches() && !DOTTED_QUAD.matcher(host).matches();
    }

}
