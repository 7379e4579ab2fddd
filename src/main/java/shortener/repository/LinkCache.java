package shortener.repository;

import java.time.Duration;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Repository;
import shortener.ShortCode;
import shortener.domain.Link;
import tools.jackson.databind.json.JsonMapper;

/**
 * Links cached in Redis for the redirect path, and codes known not to exist (a negative entry).
 * Redis failures surface as Spring's DataAccessException; the caller decides how to degrade.
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
    private final JsonMapper json;

    public LinkCache(StringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
    }

    public Lookup lookup(ShortCode code) {
        String cached = redis.opsForValue().get(key(code));
        if (cached == null) {
            return new Lookup.Miss();
        }
        return UNKNOWN.equals(cached) ? new Lookup.Unknown() : new Lookup.Hit(json.readValue(cached, Link.class));
    }

    public void put(Link link, Duration ttl) {
        redis.opsForValue().set(key(link.code()), json.writeValueAsString(link), ttl);
    }

    public void putUnknown(ShortCode code, Duration ttl) {
        redis.opsForValue().set(key(code), UNKNOWN, ttl);
    }

    public void evict(ShortCode code) {
        redis.delete(key(code));
    }

    private static String key(ShortCode code) {
        return "quartet:shortener:link:" + code.value();
    }
}
