package shortener.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import shortener.ShortCode;

/**
 * What the flushed clicks of a link add up to. Lags the redirects by up to one flush
 * interval.
 *
 * @param code the link
 * @param totalClicks every redirect served, bots included
 * @param botClicks the redirects served to crawlers and scripted clients
 * @param lastAccessedAt the latest redirect, or null when none was counted yet
 * @param daily clicks per UTC day, oldest first, only days with clicks
 * @param topReferrers the referring hosts with the most clicks, most first
 */
public record LinkStatistics(ShortCode code, long totalClicks, long botClicks, Instant lastAccessedAt, List<Day> daily,
        List<Referrer> topReferrers) {

    /**
     * Clicks on one UTC day.
     *
     * @param day the day
     * @param clicks all redirects that day
     * @param botClicks the redirects to bots that day
     */
    public record Day(LocalDate day, long clicks, long botClicks) {
    }

    /**
     * Clicks coming from one referring host.
     *
     * @param host the referrer's host
     * @param clicks redirects it sent
     */
    public record Referrer(String host, long clicks) {
    }
}
