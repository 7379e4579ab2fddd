package shortener.domain;

import java.util.regex.Pattern;

/**
 * Tells crawlers, link previewers and scripted clients from people by the User-Agent
 * header, so their clicks are counted apart. A heuristic: a bot that poses as a browser
 * counts as a person.
 */
public final class UserAgents {

    private static final Pattern BOT = Pattern.compile(
            "bot|crawl|spider|slurp|preview|facebookexternalhit|headless|curl|wget|httpie|python-requests|python-urllib"
                    + "|java-http-client|okhttp|go-http-client|apache-httpclient|libwww|scrapy|wrk|ab/",
            Pattern.CASE_INSENSITIVE);

    private UserAgents() {
    }

    /**
     * Whether the agent looks automated; a request without a User-Agent does (browsers
     * always send one).
     */
    public static boolean isBot(String userAgent) {
        return userAgent == null || userAgent.isBlank() || BOT.matcher(userAgent).find();
    }

}
