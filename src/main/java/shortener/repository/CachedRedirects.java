package shortener.repository;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;
import shortener.ClicksRecorded.Click;
import shortener.ShortCode;
import shortener.domain.Link;

/**
 * The redirect's round trip to Redis: one script reads the cached link and, if it still
 * redirects, takes a click of its limit and buffers the click, atomically (follow-link.lua). On a
 * cache hit that is the whole of the redirect's storage work. Redis failures surface as Spring's
 * DataAccessException.
 */
@Repository
public class CachedRedirects {

    /** What the script did. */
    public enum Outcome {
        /** Nothing cached: read PostgreSQL and follow again with the link. */
        MISS,
        /** Cached as a code that does not exist. */
        UNKNOWN,
        /** The link is disabled or expired: nothing was counted. */
        GONE,
        /** The link has a limit but no counter in Redis yet: follow again with the clicks counted in PostgreSQL. */
        SEED_NEEDED,
        /** The click limit is used up: nothing was counted. */
        EXHAUSTED,
        /** Counted and buffered: redirect. */
        TAKEN
    }

    /**
     * What following the link found.
     *
     * @param outcome what the script did
     * @param link the cached (or given) link; null for a miss or an unknown code
     */
    public record Followed(Outcome outcome, Link link) {
    }

    private static final RedisScript<String> FOLLOW = LuaScripts.load("shortener/follow-link.lua", String.class);
    private static final String NOT_READ = "-1";

    private final StringRedisTemplate redis;

    public CachedRedirects(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * Follows the cached link, counting the click if it redirects.
     *
     * @param counterTtl how long the link's click counter lives after this click
     * @param countedClicks the clicks PostgreSQL counted for the link, or null when not read yet
     * @param fromDatabase the link read from PostgreSQL after a miss, to cache and follow, or null to follow the cached one
     * @param cacheTtl how long to cache {@code fromDatabase}; zero to follow it without caching it
     */
    public Followed follow(Click click, Instant now, Duration counterTtl, Long countedClicks, Link fromDatabase, Duration cacheTtl) {
        ShortCode code = click.code();
        String reply = redis.execute(FOLLOW, List.of(LinkCache.key(code), ClickBuffer.counterKey(code), ClickBuffer.PENDING),
                Long.toString(LinkCodec.epochMicros(now)), ClickCodec.encode(click), Long.toString(Math.max(1, counterTtl.toSeconds())),
                countedClicks == null ? NOT_READ : countedClicks.toString(), fromDatabase == null ? "" : LinkCodec.encode(fromDatabase),
                Long.toString(fromDatabase == null ? 0 : cacheTtl.toMillis()));
        Outcome outcome = switch (reply.charAt(0)) {
            case 'M' -> Outcome.MISS;
            case 'U' -> Outcome.UNKNOWN;
            case 'G' -> Outcome.GONE;
            case 'S' -> Outcome.SEED_NEEDED;
            case 'X' -> Outcome.EXHAUSTED;
            case 'T' -> Outcome.TAKEN;
            default -> throw new IllegalStateException("follow-link.lua answered " + reply);
        };
        return new Followed(outcome, reply.length() > 1 ? LinkCodec.decode(code, reply, 1) : null);
    }
}
