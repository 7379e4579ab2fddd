package shortener.service;

import java.time.Clock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import shortener.ShortenerSettings;
import shortener.domain.Caller;
import shortener.repository.ClickBuffer;
import shortener.repository.ClickLimits;
import shortener.repository.ClickStatistics;
import shortener.repository.LinkCache;
import shortener.repository.Links;
import shortener.repository.NearLinkCache;

/**
 * For tests that put the redirect path and the click flush on a Redis connection of their
 * own (a closed port, a paused proxy) beside the application's real PostgreSQL: the beans
 * that stay the application's, and the two objects built by hand around that connection.
 */
abstract class OwnRedisConnectionTests {

    static final Caller CREATOR = new Caller("demo", false);

    @Autowired
    LinkService linkService;

    @Autowired
    Links links;

    @Autowired
    ClickStatistics statistics;

    @Autowired
    ShortenerSettings settings;

    @Autowired
    Clock clock;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    ApplicationEventPublisher events;

    Redirects redirectsOn(StringRedisTemplate redis, NearLinkCache nearCache, LocalClickBuffer clicks,
            RedisAvailability availability) {
        return new Redirects(links, statistics, new LinkCache(redis), nearCache, new ClickLimits(redis), clicks,
                availability, settings, clock);
    }

    ClickFlusher flusherOn(StringRedisTemplate redis, LocalClickBuffer clicks, RedisAvailability availability) {
        return new ClickFlusher(new ClickBuffer(redis), clicks, statistics, availability, transaction, events, settings,
                clock);
    }

}
