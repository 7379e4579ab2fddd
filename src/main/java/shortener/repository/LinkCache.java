package shortener.repository;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Repository;
import shortener.ShortCode;
import shortener.domain.Link;

/**
 * Links cached in Redis for the redirect path, in {@link LinkCodec}'s form, and codes known not to
 * exist (a negative entry): what an instance reads when its {@link NearLinkCache} misses, so a link
 * new to an instance costs PostgreSQL nothing if another instance read it lately. Redis failures
 * surface as Spring's DataAccessException; the caller decides how to degrade.
 */
@Repository
public class LinkCache {

    /** What the cache knows about a code. */
    public sealed interface Lookup {

        /** Nothing cached: ask PostgreSQL. */
        record Miss() implements Lookup {
        }

        /** Known not to exist. */
        record Unknown() implements Lookup {
        }

        /** The cached link. */
        record Hit(Link link) implements Lookup {
        }
    }

    private static final String UNKNOWN = "!";

    private final StringRedisTemplate redis;

    public LinkCache(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** An entry in a form this version does not read (an older one wrote it) counts as a miss. */
    public Lookup lookup(ShortCode code) {
        String cached = redis.opsForValue().get(key(code));
        if (cached == null) {
            return new Lookup.Miss();
        }
        if (UNKNOWN.equals(cached)) {
            return new Lookup.Unknown();
        }
        Link link = LinkCodec.decode(code, cached, 0);
        return link == null ? new Lookup.Miss() : new Lookup.Hit(link);
    }

    public void put(Link link, Duration ttl) {
        redis.opsForValue().set(key(link.code()), LinkCodec.encode(link), ttl);
    }

    public void putUnknown(ShortCode code, Duration ttl) {
        redis.opsForValue().set(key(code), UNKNOWN, ttl);
    }

    public void evict(ShortCode code) {
        redis.delete(key(code));
    }

    static String key(ShortCode code) {
        return "quartet:shortener:link:" + code.value();
    }
}
