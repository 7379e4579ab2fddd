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
import shortener.repository.ClickLimits;
import shortener.repository.ClickStatistics;
import shortener.repository.LinkCache;
import shortener.repository.Links;
import shortener.repository.NearLinkCache;

/**
 * The hot path: following a link. The link comes from this instance's near cache, which
 * every instance's changes invalidate; on a miss from Redis's shared cache, then
 * PostgreSQL (negative entries remember unknown codes in both caches). The click is
 * counted in memory and reaches PostgreSQL with the next flush, so a cache hit on a link
 * without a click limit touches no store. A limited link takes its click from the exact
 * counter in Redis, shared by every instance. Never writes to PostgreSQL. While Redis
 * fails, its circuit stays open for a while: redirects read PostgreSQL and the near
 * cache's youngest entries, and only links with a click limit are refused.
 */
@Service
public class Redirects {

    /** A take, then a seed for the counter: no limited click needs more calls. */
    private static final int MOST_TAKES = 2;

    private final Links links;

    private final ClickStatistics statistics;

    private final LinkCache cache;

    private final NearLinkCache nearCache;

    private final ClickLimits limits;

    private final LocalClickBuffer localClicks;

    private final RedisAvailability redis;

    private final ShortenerSettings settings;

    private final Clock clock;

    Redirects(Links links, ClickStatistics statistics, LinkCache cache, NearLinkCache nearCache, ClickLimits limits,
            LocalClickBuffer localClicks, RedisAvailability redis, ShortenerSettings settings, Clock clock) {
        this.links = links;
        this.statistics = statistics;
        this.cache = cache;
        this.nearCache = nearCache;
        this.limits = limits;
        this.localClicks = localClicks;
        this.redis = redis;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Follows the link, counting the click; 404 when unknown, 410 when it no longer
     * redirects, 503 when its limit cannot be checked.
     */
    public Redirect follow(ShortCode code, String referer, String userAgent) {
        Link link = find(code);
        Instant now = clock.instant();
        LinkState state = link.stateAt(now);
        if (state != LinkState.ACTIVE) {
            throw new LinkGoneException(code, state);
        }
        if (link.hasClickLimit()) {
            takeLimitedClick(link);
        }
        // The cached link's code, not the request's: the buffer keeps one copy per link,
        // not per click.
        localClicks.add(new Click(link.code(), now, Referrers.hostOf(referer), UserAgents.isBot(userAgent)));
        return redirectTo(link, now);
    }

    private void takeLimitedClick(Link link) {
        ShortCode code = link.code();
        if (!redis.worthTrying()) {
            // The limit is exact only through Redis's atomic counter: refuse rather than
            // over-serve.
            throw new ClickLimitUnavailableException(code);
        }
        Long counted = null;
        for (int take = 1; take <= MOST_TAKES; take++) {
            ClickLimits.Outcome outcome;
            try {
                outcome = limits.take(code, link.maxClicks(), counted, settings.clickCounterIdleTtl());
                redis.succeeded();
            }
            catch (DataAccessException e) {
                redis.failed(e);
                throw new ClickLimitUnavailableException(code);
            }
            switch (outcome) {
                case TAKEN -> {
                    return;
                }
                case EXHAUSTED -> throw new LinkGoneException(code, LinkState.EXHAUSTED);
                // First click in a while: start the counter from what PostgreSQL counted
                // (a read, not a write).
                case SEED_NEEDED -> counted = statistics.totalClicks(code);
            }
        }
        throw new IllegalStateException(
                "Taking a click of " + code + " took more than " + MOST_TAKES + " calls to Redis");
    }

    private Redirect redirectTo(Link link, Instant now) {
        return new Redirect(link.target().value(), link.redirectsPermanently(settings.permanentRedirects()),
                maxAge(link, now));
    }

    /**
     * The link as the redirect path sees it, without following it (no click); 404 when
     * unknown.
     */
    public Link find(ShortCode code) {
        NearLinkCache.Lookup near = nearCache.lookup(code);
        if (near != null) {
            return near.link().orElseThrow(() -> new LinkNotFoundException(code));
        }
        NearLinkCache.Ticket ticket = nearCache.ticket();
        Optional<Link> link = fromSharedStores(code);
        nearCache.put(code, link, ticket);
        return link.orElseThrow(() -> new LinkNotFoundException(code));
    }

    /**
     * Redis's cache first while its circuit is closed, else (or on a miss) PostgreSQL.
     */
    private Optional<Link> fromSharedStores(ShortCode code) {
        if (redis.worthTrying()) {
            try {
                Optional<Link> link = cacheAside(code);
                redis.succeeded();
                return link;
            }
            catch (DataAccessException e) {
                redis.failed(e);
            }
        }
        return links.find(code);
    }

    private Optional<Link> cacheAside(ShortCode code) {
        LinkCache.Lookup lookup = cache.lookup(code);
        if (lookup instanceof LinkCache.Lookup.Hit hit) {
            return Optional.of(hit.link());
        }
        if (lookup instanceof LinkCache.Lookup.Unknown) {
            return Optional.empty();
        }
        LinkCache.Lookup.Miss miss = (LinkCache.Lookup.Miss) lookup;
        Optional<Link> link = links.find(code);
        if (link.isEmpty()) {
            cache.putUnknown(code, settings.unknownCodeCacheTtl(), miss);
            return link;
        }
        cache.put(link.get(), cacheTtl(link.get(), clock.instant()), miss);
        return link;
    }

    /**
     * Never longer than the link lives; an expired link is remembered as briefly as an
     * unknown code.
     */
    private Duration cacheTtl(Link link, Instant now) {
        Duration remaining = link.remainingLifeAt(now).orElse(settings.linkCacheTtl());
        if (remaining.isNegative() || remaining.compareTo(Duration.ofMillis(1)) < 0) {
            return settings.unknownCodeCacheTtl();
        }
        return remaining.compareTo(settings.linkCacheTtl()) < 0 ? remaining.truncatedTo(ChronoUnit.MILLIS)
                : settings.linkCacheTtl();
    }

    /** Zero for a click-limited link: every use must reach us to be counted. */
    private Duration maxAge(Link link, Instant now) {
        if (link.hasClickLimit()) {
            return Duration.ZERO;
        }
        Duration remaining = link.remainingLifeAt(now).orElse(settings.redirectMaxAge());
        return remaining.compareTo(settings.redirectMaxAge()) < 0 ? Duration.ofSeconds(remaining.toSeconds())
                : settings.redirectMaxAge();
    }

}
