package shortener.repository;

import static shortener.repository.Links.instant;
import static shortener.repository.Links.timestamp;

import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import shortener.ClicksRecorded.Click;
import shortener.ShortCode;
import shortener.domain.LinkStatistics;

/**
 * Click statistics in PostgreSQL, added to batch by batch. Each batch is counted once
 * (its id is recorded in the same transaction), clicks of links deleted meanwhile are
 * skipped, and rows are written in key order so concurrent flushes cannot deadlock.
 */
@Repository
public class ClickStatistics {

    private final JdbcTemplate jdbcTemplate;

    private final JdbcClient jdbc;

    public ClickStatistics(JdbcTemplate jdbcTemplate, JdbcClient jdbc) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
    }

    /**
     * Adds the batch to the statistics; false (and nothing written) when it was counted
     * before.
     */
    public boolean add(UUID batch, List<Click> clicks, Instant flushedAt) {
        boolean firstTime = jdbc.sql(
                "insert into shortener.click_batches (batch_id, flushed_at, clicks) values (?, ?, ?) on conflict do nothing")
            .params(batch, timestamp(flushedAt), clicks.size())
            .update() == 1;
        if (!firstTime) {
            return false;
        }
        Tally tally = Tally.of(clicks);
        jdbcTemplate.batchUpdate("""
                insert into shortener.link_clicks (code, total_clicks, bot_clicks, last_accessed_at)
                select code, ?, ?, ? from shortener.links where code = ?
                on conflict (code) do update set
                    total_clicks = link_clicks.total_clicks + excluded.total_clicks,
                    bot_clicks = link_clicks.bot_clicks + excluded.bot_clicks,
                    last_accessed_at = greatest(link_clicks.last_accessed_at, excluded.last_accessed_at)
                """,
                tally.links()
                    .entrySet()
                    .stream()
                    .map(link -> new Object[] { link.getValue().clicks(), link.getValue().botClicks(),
                            timestamp(link.getValue().last()), link.getKey() })
                    .toList());
        jdbcTemplate.batchUpdate("""
                insert into shortener.daily_clicks (code, day, clicks, bot_clicks)
                select code, ?, ?, ? from shortener.links where code = ?
                on conflict (code, day) do update set
                    clicks = daily_clicks.clicks + excluded.clicks,
                    bot_clicks = daily_clicks.bot_clicks + excluded.bot_clicks
                """,
                tally.days()
                    .entrySet()
                    .stream()
                    .map(day -> new Object[] { Date.valueOf(day.getKey().day()), day.getValue().clicks(),
                            day.getValue().botClicks(), day.getKey().code() })
                    .toList());
        jdbcTemplate.batchUpdate("""
                insert into shortener.referrer_clicks (code, referrer_host, clicks)
                select code, ?, ? from shortener.links where code = ?
                on conflict (code, referrer_host) do update set clicks = referrer_clicks.clicks + excluded.clicks
                """, tally.referrers()
            .entrySet()
            .stream()
            .map(referrer -> new Object[] { referrer.getKey().host(), referrer.getValue(), referrer.getKey().code() })
            .toList());
        return true;
    }

    /**
     * The clicks counted for a link so far: what a missing click-limit counter starts
     * from.
     */
    public long totalClicks(ShortCode code) {
        return jdbc.sql("select coalesce(sum(total_clicks), 0) from shortener.link_clicks where code = ?")
            .param(code.value())
            .query(Long.class)
            .single();
    }

    /** The statistics of a link, with the daily series from the given day on. */
    public LinkStatistics of(ShortCode code, LocalDate since, int topReferrers) {
        var totals = jdbc
            .sql("select total_clicks, bot_clicks, last_accessed_at from shortener.link_clicks where code = ?")
            .param(code.value())
            .query((row, n) -> new Totals(row.getLong("total_clicks"), row.getLong("bot_clicks"),
                    instant(row.getTimestamp("last_accessed_at"))))
            .optional()
            .orElse(new Totals(0, 0, null));
        List<LinkStatistics.Day> daily = jdbc
            .sql("select day, clicks, bot_clicks from shortener.daily_clicks where code = ? and day >= ? order by day")
            .params(code.value(), Date.valueOf(since))
            .query((row, n) -> new LinkStatistics.Day(row.getDate("day").toLocalDate(), row.getLong("clicks"),
                    row.getLong("bot_clicks")))
            .list();
        List<LinkStatistics.Referrer> referrers = jdbc.sql(
                "select referrer_host, clicks from shortener.referrer_clicks where code = ? order by clicks desc, referrer_host limit ?")
            .params(code.value(), topReferrers)
            .query((row, n) -> new LinkStatistics.Referrer(row.getString("referrer_host"), row.getLong("clicks")))
            .list();
        return new LinkStatistics(code, totals.clicks(), totals.botClicks(), totals.lastAccessedAt(), daily, referrers);
    }

    /** Forgets batch ids old enough that no stalled batch can come back with them. */
    public int forgetBatchesFlushedBefore(Instant cutoff) {
        return jdbc.sql("delete from shortener.click_batches where flushed_at < ?").param(timestamp(cutoff)).update();
    }

    private record Totals(long clicks, long botClicks, Instant lastAccessedAt) {
    }

    private record Count(long clicks, long botClicks, Instant last) {

        static Count of(Click click) {
            return new Count(1, click.bot() ? 1 : 0, click.at());
        }

        Count plus(Count other) {
            return new Count(clicks + other.clicks, botClicks + other.botClicks,
                    last.isAfter(other.last) ? last : other.last);
        }
    }

    private record DayKey(String code, LocalDate day) implements Comparable<DayKey> {

        @Override
        public int compareTo(DayKey other) {
            int byCode = code.compareTo(other.code);
            return byCode != 0 ? byCode : day.compareTo(other.day);
        }
    }

    private record ReferrerKey(String code, String host) implements Comparable<ReferrerKey> {

        @Override
        public int compareTo(ReferrerKey other) {
            int byCode = code.compareTo(other.code);
            return byCode != 0 ? byCode : host.compareTo(other.host);
        }
    }

    /**
     * A batch summed up per link, per link and day, and per link and referrer, each in
     * key order.
     */
    private record Tally(Map<String, Count> links, Map<DayKey, Count> days, Map<ReferrerKey, Long> referrers) {

        static Tally of(List<Click> clicks) {
            var tally = new Tally(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
            for (Click click : clicks) {
                String code = click.code().value();
                tally.links.merge(code, Count.of(click), Count::plus);
                tally.days.merge(new DayKey(code, LocalDate.ofInstant(click.at(), ZoneOffset.UTC)), Count.of(click),
                        Count::plus);
                if (click.referrerHost() != null) {
                    tally.referrers.merge(new ReferrerKey(code, click.referrerHost()), 1L, Long::sum);
                }
            }
            return tally;
        }
    }

}
