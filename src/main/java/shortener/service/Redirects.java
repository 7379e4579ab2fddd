package shortener.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import shortener.ClicksRecorded.Click;
import shortener.ShortCode;
import shortener.ShortenerSettings;
import shortener.domain.Link;
import shortener.domain.LinkGoneException;
import shortener.domain.LinkNotFoundException;
import shortener.domain.LinkState;
import shortener.domain.Referrers;
import shortener.domain.UserAgents;
import shortener.repository.ClickBuffer;
import shortener.repository.ClickBuffer.Admission;
import shortener.repository.ClickStatistics;
import shortener.repository.LinkCache;
import shortener.repository.Links;

/**
 * The hot path: following a link. Reads Redis first (cache-aside, with negative entries for
 * unknown codes), counts the click in Redis in one atomic script that also enforces the click
 * limit, and never writes to PostgreSQL. While Redis is unreachable it reads PostgreSQL, keeps
 * clicks in memory for the next flush, and refuses only links with a click limit.
 */
@Service
public class Redirects {

    private final Links links;
    private final ClickStatistics statistics;
    private final LinkCache cache;
    private final ClickBuffer clicks;
    private final LocalClickBuffer localClicks;
    private final RedisAvailability redis;
    private final ShortenerSettings settings;
    private final Clock clock;

    Redirects(Links links, ClickStatistics statistics, LinkCache cache, ClickBuffer clicks, LocalClickBuffer localClicks,
            RedisAvailability redis, ShortenerSettings settings, Clock clock) {
        this.links = links;
        this.statistics = statistics;
        this.cache = cache;
        this.clicks = clicks;
        this.localClicks = localClicks;
        this.redis = redis;
        this.settings = settings;
        this.clock = clock;
    }

    /** Follows the link, counting the click; 404 when unknown, 410 when it no longer redirects. */
    public Redirect follow(ShortCode code, String referer, String userAgent) {
        Instant now = clock.instant();
        Link link = find(code);
        LinkState state = link.stateAt(now);
        if (state != LinkState.ACTIVE) {
            throw new LinkGoneException(code, state);
        }
        count(link, new Click(code, now, Referrers.hostOf(referer), UserAgents.isBot(userAgent)));
        return new Redirect(link.target().value(), link.redirectsPermanently(settings.permanentRedirects()), maxAge(link, now));
    }

    /** The link as the redirect path sees it, without following it (no click). */
    public Link find(ShortCode code) {
        if (redis.worthTrying()) {
            try {
                Optional<Link> link = cacheAside(code);
                redis.succeeded();
                return link.orElseThrow(() -> new LinkNotFoundException(code));
            }
            catch (DataAccessException e) {
                redis.failed(e);
            }
        }
        return links.find(code).orElseThrow(() -> new LinkNotFoundException(code));
    }

    private Optional<Link> cacheAside(ShortCode code) {
        LinkCache.Lookup lookup = cache.lookup(code);
        if (lookup instanceof LinkCache.Lookup.Hit hit) {
            return Optional.of(hit.link());
        }
        if (lookup instanceof LinkCache.Lookup.Unknown) {
            return Optional.empty();
        }
        Optional<Link> link = links.find(code);
        if (link.isEmpty()) {
            cache.putUnknown(code, settings.unknownCodeCacheTtl());
            return link;
        }
        Duration ttl = cacheTtl(link.get(), clock.instant());
        if (!ttl.isZero()) {
            cache.put(link.get(), ttl);
        }
        return link;
    }

    /** Never longer than the link lives; an expired link is remembered as briefly as an unknown code. */
    private Duration cacheTtl(Link link, Instant now) {
        Duration remaining = link.remainingLifeAt(now).orElse(settings.linkCacheTtl());
        if (remaining.isNegative() || remaining.isZero()) {
            return settings.unknownCodeCacheTtl();
        }
        return remaining.compareTo(settings.linkCacheTtl()) < 0 ? remaining.truncatedTo(ChronoUnit.MILLIS)
                : settings.linkCacheTtl();
    }

    private void count(Link link, Click click) {
        if (redis.worthTrying()) {
            try {
                Admission admission = clicks.offer(click, link.maxClicks(), null, settings.clickCounterIdleTtl());
                if (admission == Admission.SEED_NEEDED) {
                    // First click in a while: start the counter from what PostgreSQL counted (a read, not a write).
                    admission = clicks.offer(click, link.maxClicks(), statistics.totalClicks(link.code()), settings.clickCounterIdleTtl());
                }
                redis.succeeded();
                if (admission == Admission.LIMIT_REACHED) {
                    throw new LinkGoneException(link.code(), LinkState.EXHAUSTED);
                }
                return;
            }
            catch (DataAccessException e) {
                redis.failed(e);
            }
        }
        if (link.hasClickLimit()) {
            throw new ClickLimitUnavailableException(link.code());
        }
        localClicks.add(click);
    }

    /** Zero for a click-limited link: every use must reach us to be counted. */
    private Duration maxAge(Link link, Instant now) {
        if (link.hasClickLimit()) {
            return Duration.ZERO;
        }
        Duration remaining = link.remainingLifeAt(now).orElse(settings.redirectMaxAge());
        return remaining.compareTo(settings.redirectMaxAge()) < 0 ? Duration.ofSeconds(remaining.toSeconds()) : settings.redirectMaxAge();
    }
}
