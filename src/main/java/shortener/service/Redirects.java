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
import shortener.repository.CachedRedirects;
import shortener.repository.ClickStatistics;
import shortener.repository.LinkCache;
import shortener.repository.Links;

/**
 * The hot path: following a link. A cache hit is one Redis round trip, one script that reads the
 * cached link and, if it redirects, counts the click and enforces the click limit atomically; a
 * miss reads PostgreSQL and hands the link to the same script, which caches it (negative entries
 * remember unknown codes). Never writes to PostgreSQL. While Redis is unreachable it reads
 * PostgreSQL, keeps clicks in memory for the next flush, and refuses only links with a click limit.
 */
@Service
public class Redirects {

    /** A miss, then a seed for the click counter, then the click: no follow needs more calls. */
    private static final int MOST_SCRIPT_CALLS = 3;

    private final Links links;
    private final ClickStatistics statistics;
    private final LinkCache cache;
    private final CachedRedirects cachedRedirects;
    private final LocalClickBuffer localClicks;
    private final RedisAvailability redis;
    private final ShortenerSettings settings;
    private final Clock clock;

    Redirects(Links links, ClickStatistics statistics, LinkCache cache, CachedRedirects cachedRedirects, LocalClickBuffer localClicks,
            RedisAvailability redis, ShortenerSettings settings, Clock clock) {
        this.links = links;
        this.statistics = statistics;
        this.cache = cache;
        this.cachedRedirects = cachedRedirects;
        this.localClicks = localClicks;
        this.redis = redis;
        this.settings = settings;
        this.clock = clock;
    }

    /** Follows the link, counting the click; 404 when unknown, 410 when it no longer redirects. */
    public Redirect follow(ShortCode code, String referer, String userAgent) {
        Instant now = clock.instant();
        Click click = new Click(code, now, Referrers.hostOf(referer), UserAgents.isBot(userAgent));
        if (redis.worthTrying()) {
            Link followed = followInRedis(click, now);
            if (followed != null) {
                return redirectTo(followed, now);
            }
        }
        Link link = links.find(code).orElseThrow(() -> new LinkNotFoundException(code));
        LinkState state = link.stateAt(now);
        if (state != LinkState.ACTIVE) {
            throw new LinkGoneException(code, state);
        }
        if (link.hasClickLimit()) {
            // The limit is exact only through Redis's atomic counter: refuse rather than over-serve.
            throw new ClickLimitUnavailableException(code);
        }
        localClicks.add(click);
        return redirectTo(link, now);
    }

    /** The link whose click Redis counted, or null when Redis failed and the caller must degrade. */
    private Link followInRedis(Click click, Instant now) {
        ShortCode code = click.code();
        Link fromDatabase = null;
        Duration cacheTtl = Duration.ZERO;
        Long countedClicks = null;
        for (int call = 1; call <= MOST_SCRIPT_CALLS; call++) {
            CachedRedirects.Followed followed;
            try {
                followed = cachedRedirects.follow(click, now, settings.clickCounterIdleTtl(), countedClicks, fromDatabase, cacheTtl);
                redis.succeeded();
            }
            catch (DataAccessException e) {
                redis.failed(e);
                return null;
            }
            switch (followed.outcome()) {
                case TAKEN -> {
                    return followed.link();
                }
                case MISS -> {
                    fromDatabase = links.find(code).orElse(null);
                    if (fromDatabase == null) {
                        rememberUnknown(code);
                        throw new LinkNotFoundException(code);
                    }
                    cacheTtl = cacheTtl(fromDatabase, now);
                }
                // First click in a while: start the counter from what PostgreSQL counted (a read, not a write).
                case SEED_NEEDED -> countedClicks = statistics.totalClicks(code);
                case UNKNOWN -> throw new LinkNotFoundException(code);
                case GONE -> throw new LinkGoneException(code, followed.link().disabled() ? LinkState.DISABLED : LinkState.EXPIRED);
                case EXHAUSTED -> throw new LinkGoneException(code, LinkState.EXHAUSTED);
            }
        }
        throw new IllegalStateException("Following " + code + " took more than " + MOST_SCRIPT_CALLS + " calls to Redis");
    }

    private void rememberUnknown(ShortCode code) {
        try {
            cache.putUnknown(code, settings.unknownCodeCacheTtl());
        }
        catch (DataAccessException e) {
            redis.failed(e);
        }
    }

    private Redirect redirectTo(Link link, Instant now) {
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

    /** Zero for a click-limited link: every use must reach us to be counted. */
    private Duration maxAge(Link link, Instant now) {
        if (link.hasClickLimit()) {
            return Duration.ZERO;
        }
        Duration remaining = link.remainingLifeAt(now).orElse(settings.redirectMaxAge());
        return remaining.compareTo(settings.redirectMaxAge()) < 0 ? Duration.ofSeconds(remaining.toSeconds()) : settings.redirectMaxAge();
    }
}
