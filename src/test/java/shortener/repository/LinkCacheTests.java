package shortener.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static shortener.ShortenerHttp.uniqueAlias;
import static shortener.ShortenerHttp.uniqueTarget;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import shortener.ShortCode;
import shortener.ShortenerTest;
import shortener.domain.Link;
import shortener.domain.TargetUrl;

/**
 * The shared Redis cache of links against the real Redis: what a miss read is cached
 * unless a change was evicted since the miss, so a read that raced a change never leaves
 * the old link behind.
 */
@ShortenerTest
class LinkCacheTests {

    private static final Duration TTL = Duration.ofMinutes(1);

    @Autowired
    LinkCache cache;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void cachesWhatAMissReadAndForgetsItWhenTheLinkChanges() {
        Link link = link();
        var miss = (LinkCache.Lookup.Miss) cache.lookup(link.code());

        assertThat(cache.put(link, TTL, miss)).isTrue();
        assertThat(cache.lookup(link.code())).isEqualTo(new LinkCache.Lookup.Hit(link));
        assertThat(redis.getExpire(LinkCache.key(link.code()))).isBetween(1L, TTL.toSeconds());

        cache.evict(link.code());
        assertThat(cache.lookup(link.code())).isInstanceOf(LinkCache.Lookup.Miss.class);
    }

    @Test
    void refusesWhatAMissReadBeforeAChangeWasEvicted() {
        Link old = link();
        var miss = (LinkCache.Lookup.Miss) cache.lookup(old.code());
        // Meanwhile the link is disabled and the change evicted; the reader still holds
        // the old link.
        cache.evict(old.code());

        assertThat(cache.put(old, TTL, miss)).isFalse();
        assertThat(cache.lookup(old.code())).isInstanceOf(LinkCache.Lookup.Miss.class);
        var afterTheChange = (LinkCache.Lookup.Miss) cache.lookup(old.code());
        assertThat(cache.put(old.switchedOff(true), TTL, afterTheChange)).isTrue();
    }

    @Test
    void refusesToRememberACodeAsUnknownOnceALinkTookItSinceTheMiss() {
        ShortCode code = ShortCode.of(uniqueAlias());
        var miss = (LinkCache.Lookup.Miss) cache.lookup(code);
        cache.evict(code);

        assertThat(cache.putUnknown(code, TTL, miss)).isFalse();
        assertThat(cache.lookup(code)).isInstanceOf(LinkCache.Lookup.Miss.class);
    }

    @Test
    void readsAnEntryAnOlderVersionWroteAsAMissAndReplacesIt() {
        Link link = link();
        redis.opsForValue()
            .set(LinkCache.key(link.code()), "{\"code\":\"" + link.code() + "\",\"target\":\"" + link.target() + "\"}",
                    TTL);

        var miss = cache.lookup(link.code());
        assertThat(miss).isInstanceOf(LinkCache.Lookup.Miss.class);
        cache.put(link, TTL, (LinkCache.Lookup.Miss) miss);

        assertThat(cache.lookup(link.code())).isEqualTo(new LinkCache.Lookup.Hit(link));
    }

    /** A link only Redis knows of. */
    private static Link link() {
        return new Link(ShortCode.of(uniqueAlias()), TargetUrl.parse(uniqueTarget()), true,
                Instant.now().truncatedTo(ChronoUnit.MICROS), null, null, null, false);
    }

}
