package shortener.repository;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;
import shortener.ShortCode;
import shortener.domain.Link;

/**
 * Links cached in Redis for the redirect path, in {@link LinkCodec}'s form, and codes
 * known not to exist (a negative entry): what an instance reads when its
 * {@link NearLinkCache} misses, so a link new to an instance costs PostgreSQL nothing if
 * another instance read it lately. A change bumps the link's version when it evicts the
 * entry, and a reader caches what it read from PostgreSQL only if the version is still
 * the one its miss saw, so a read that raced a change can never leave the old link
 * cached. Redis failures surface as Spring's DataAccessException; the caller decides how
 * to degrade.
 */
@Repository
public class LinkCache {

    /** What the cache knows about a code. */
    public sealed interface Lookup {

        /**
         * Nothing cached: ask PostgreSQL, then cache what it says with this version.
         *
         * @param version the link's version when the miss happened ('' for none):
         * {@link #put} refuses a newer one
         */
        record Miss(String version) implements Lookup {

            public Miss() {
                this("");
            }
        }

        /** Known not to exist. */
        record Unknown() implements Lookup {
        }

        /** The cached link. */
        record Hit(Link link) implements Lookup {
        }

    }

    private static final String UNKNOWN = "!";

    private static final RedisScript<Long> CACHE = LuaScripts.load("shortener/cache-link.lua", Long.class);

    private static final RedisScript<Long> EVICT = LuaScripts.load("shortener/evict-link.lua", Long.class);

    /** Far longer than any read of PostgreSQL between a miss and its put. */
    private static final Duration VERSION_MEMORY = Duration.ofHours(1);

    private final StringRedisTemplate redis;

    public LinkCache(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * An entry in a form this version does not read (an older one wrote it) counts as a
     * miss. One round trip.
     */
    public Lookup lookup(ShortCode code) {
        List<String> values = redis.opsForValue().multiGet(List.of(key(code), versionKey(code)));
        String cached = values == null ? null : values.get(0);
        String version = values == null || values.get(1) == null ? "" : values.get(1);
        if (cached == null) {
            return new Lookup.Miss(version);
        }
        if (UNKNOWN.equals(cached)) {
            return new Lookup.Unknown();
        }
        Link link = LinkCodec.decode(code, cached, 0);
        return link == null ? new Lookup.Miss(version) : new Lookup.Hit(link);
    }

    /**
     * Caches the link read after the miss, unless it changed since; false when it did.
     */
    public boolean put(Link link, Duration ttl, Lookup.Miss miss) {
        return write(link.code(), LinkCodec.encode(link), ttl, miss);
    }

    /**
     * Remembers that no link has the code, unless one was created since the miss; false
     * when it was.
     */
    public boolean putUnknown(ShortCode code, Duration ttl, Lookup.Miss miss) {
        return write(code, UNKNOWN, ttl, miss);
    }

    private boolean write(ShortCode code, String entry, Duration ttl, Lookup.Miss miss) {
        Long written = redis.execute(CACHE, List.of(key(code), versionKey(code)), entry,
                Long.toString(Math.max(1, ttl.toMillis())), miss.version());
        return written != null && written == 1;
    }

    /**
     * The link changed and the change committed: drop its entry, and refuse what readers
     * that missed before may still write.
     */
    public void evict(ShortCode code) {
        redis.execute(EVICT, List.of(key(code), versionKey(code)), Long.toString(VERSION_MEMORY.toMillis()));
    }

    static String key(ShortCode code) {
        return "quartet:shortener:link:" + code.value();
    }

    private static String versionKey(ShortCode code) {
        return "quartet:shortener:link-version:" + code.value();
    }

}
