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
import shortener.ClicksRecorded.Click;
import shortener.ShortCode;
import shortener.ShortenerTest;
import shortener.domain.Link;
import shortener.domain.LinkState;
import shortener.domain.TargetUrl;
import shortener.repository.CachedRedirects.Followed;
import shortener.repository.CachedRedirects.Outcome;

/** follow-link.lua against the real Redis: what a redirect learns and counts in its one round trip. */
@ShortenerTest
class CachedRedirectsTests {

    private static final Duration COUNTER_TTL = Duration.ofMinutes(5);
    private static final Duration CACHE_TTL = Duration.ofMinutes(1);

    @Autowired
    CachedRedirects redirects;

    @Autowired
    LinkCache cache;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void answersAMissUntilItIsGivenTheLinkAndThenServesItFromTheCache() {
        Instant now = Instant.now();
        Link link = link(null, null, now);

        assertThat(follow(link, now, null, null).outcome()).isEqualTo(Outcome.MISS);
        Followed first = follow(link, now, null, link);
        Followed second = follow(link, now, null, null);

        assertThat(first.outcome()).isEqualTo(Outcome.TAKEN);
        assertThat(second.outcome()).isEqualTo(Outcome.TAKEN);
        assertThat(second.link()).isEqualTo(link);
        assertThat(redis.getExpire(LinkCache.key(link.code()))).isBetween(1L, CACHE_TTL.toSeconds());
    }

    @Test
    void followsALinkItMayNotCacheWithoutCachingIt() {
        Instant now = Instant.now();
        Link link = link(null, null, now);

        Followed followed = redirects.follow(click(link, now), now, COUNTER_TTL, null, link, Duration.ZERO);

        assertThat(followed.outcome()).isEqualTo(Outcome.TAKEN);
        assertThat(cache.lookup(link.code())).isInstanceOf(LinkCache.Lookup.Miss.class);
    }

    @Test
    void answersUnknownForACodeCachedAsUnknown() {
        Instant now = Instant.now();
        Link link = link(null, null, now);
        cache.putUnknown(link.code(), CACHE_TTL);

        assertThat(follow(link, now, null, null).outcome()).isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void stopsRedirectingAtTheExpiryToTheMicrosecondAsTheLinkDoes() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Link link = link(now.plusSeconds(60), null, now);
        follow(link, now, null, link);
        Instant lastMoment = link.expiresAt().minus(1, ChronoUnit.MICROS);

        Followed before = follow(link, lastMoment, null, null);
        Followed at = follow(link, link.expiresAt(), null, null);

        assertThat(link.stateAt(lastMoment)).isEqualTo(LinkState.ACTIVE);
        assertThat(before.outcome()).isEqualTo(Outcome.TAKEN);
        assertThat(link.stateAt(link.expiresAt())).isEqualTo(LinkState.EXPIRED);
        assertThat(at.outcome()).isEqualTo(Outcome.GONE);
        assertThat(at.link()).isEqualTo(link);
    }

    @Test
    void takesNoClickOfTheLimitForADisabledLink() {
        Instant now = Instant.now();
        Link link = link(null, 5L, now);
        follow(link, now, 0L, link);

        Followed followed = follow(link, now, null, link.switchedOff(true));

        assertThat(followed.outcome()).isEqualTo(Outcome.GONE);
        assertThat(followed.link().disabled()).isTrue();
        assertThat(redis.opsForValue().get(ClickBuffer.counterKey(link.code()))).isEqualTo("1");
    }

    @Test
    void seedsAMissingCounterFromTheClicksCountedInPostgresqlAndStopsAtTheLimit() {
        Instant now = Instant.now();
        Link link = link(null, 3L, now);
        follow(link, now, null, link);

        assertThat(follow(link, now, null, null).outcome()).isEqualTo(Outcome.SEED_NEEDED);
        assertThat(follow(link, now, 2L, null).outcome()).isEqualTo(Outcome.TAKEN);
        // The counter now exists: a stale seed does not reset it.
        assertThat(follow(link, now, 0L, null).outcome()).isEqualTo(Outcome.EXHAUSTED);
        assertThat(redis.opsForValue().get(ClickBuffer.counterKey(link.code()))).isEqualTo("3");
        assertThat(redis.getExpire(ClickBuffer.counterKey(link.code()))).isBetween(1L, COUNTER_TTL.toSeconds());
    }

    @Test
    void readsAnEntryAnOlderVersionWroteAsAMissAndReplacesIt() {
        Instant now = Instant.now();
        Link link = link(null, null, now);
        redis.opsForValue().set(LinkCache.key(link.code()), "{\"code\":\"" + link.code() + "\",\"target\":\"" + link.target() + "\"}", CACHE_TTL);

        assertThat(follow(link, now, null, null).outcome()).isEqualTo(Outcome.MISS);
        assertThat(cache.lookup(link.code())).isInstanceOf(LinkCache.Lookup.Miss.class);
        follow(link, now, null, link);

        assertThat(cache.lookup(link.code())).isEqualTo(new LinkCache.Lookup.Hit(link));
    }

    private Followed follow(Link link, Instant now, Long countedClicks, Link fromDatabase) {
        return redirects.follow(click(link, now), now, COUNTER_TTL, countedClicks, fromDatabase, CACHE_TTL);
    }

    private static Click click(Link link, Instant now) {
        return new Click(link.code(), now, null, false);
    }

    /** A link only Redis knows of: the script never reads PostgreSQL. */
    private static Link link(Instant expiresAt, Long maxClicks, Instant now) {
        return new Link(ShortCode.of(uniqueAlias()), TargetUrl.parse(uniqueTarget()), true, now.truncatedTo(ChronoUnit.MICROS), expiresAt, maxClicks,
                null, false);
    }
}
