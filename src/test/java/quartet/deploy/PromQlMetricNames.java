package quartet.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads: what is left once strings, label matchers,
 * ranges, grouping clauses, function calls and keywords are taken out. Enough for the
 * queries of a dashboard, not a PromQL parser.
 */
final class PromQlMetricNames {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");

    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");

    private static final Pattern GROUPING = Pattern
        .compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");

    /** An identifier that does not start inside a number (1e-9) and is not a call. */
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.])[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    private PromQlMetricNames() {
    }

    static Set<String> of(String expression) {
        String bare = expression;
        for (Pattern removed : new Pattern[] { STRINGS, MATCHERS, RANGES, GROUPING }) {
            bare = removed.matcher(bare).replaceAll(" ");
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher identifiers = IDENTIFIER.matcher(bare);
        while (identifiers.find()) {
            String name = identifiers.group();
            if (!KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

}
