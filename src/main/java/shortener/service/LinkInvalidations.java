package shortener.service;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import shortener.ShortCode;
import shortener.repository.LinkCache;
import shortener.repository.LinkChangeChannel;
import shortener.repository.NearLinkCache;

/**
 * Makes a committed change of a link reach the redirects of every instance: this
 * instance's near cache forgets it at once, Redis's shared cache entry is evicted and the
 * change is published to every other instance's near cache. What Redis could not take
 * (down, hanging) is retried on every heartbeat until it can. The heartbeats, on a thread
 * of their own so no request and no other job waits for them, keep the near caches
 * confirmed live and, while the circuit is open, are the probe that closes it once Redis
 * answers.
 */
class LinkInvalidations implements SmartLifecycle {

    private static final Log log = LogFactory.getLog(LinkInvalidations.class);

    private final NearLinkCache nearCache;

    private final LinkCache cache;

    private final LinkChangeChannel channel;

    private final RedisAvailability redis;

    private final Duration heartbeatInterval;

    private final Set<ShortCode> unpublished = ConcurrentHashMap.newKeySet();

    private volatile @Nullable ScheduledExecutorService heartbeats;

    LinkInvalidations(NearLinkCache nearCache, LinkCache cache, LinkChangeChannel channel, RedisAvailability redis,
            Duration heartbeatInterval) {
        this.nearCache = nearCache;
        this.cache = cache;
        this.channel = channel;
        this.redis = redis;
        this.heartbeatInterval = heartbeatInterval;
    }

    /** The link changed (created, changed, deleted) and the change committed. */
    void changed(ShortCode code) {
        nearCache.invalidate(code);
        unpublished.add(code);
        if (redis.worthTrying()) {
            publish(code);
        }
    }

    private boolean publish(ShortCode code) {
        try {
            cache.evict(code);
            channel.publishChange(code);
            unpublished.remove(code);
            redis.succeeded();
            return true;
        }
        catch (DataAccessException e) {
            redis.failed(e);
            return false;
        }
    }

    /**
     * One heartbeat, after subscribing and whatever is still unpublished; nothing while
     * Redis's circuit is open.
     */
    void beat() {
        if (!redis.worthTrying()) {
            return;
        }
        if (!channel.ensureSubscribed()) {
            return;
        }
        for (ShortCode code : unpublished) {
            if (!publish(code)) {
                return;
            }
        }
        try {
            channel.publishHeartbeat();
            redis.succeeded();
        }
        catch (DataAccessException e) {
            // Silence is the signal (the near cache stops trusting); a slow heartbeat
            // alone opens no circuit for the requests.
        }
    }

    int unpublished() {
        return unpublished.size();
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "shortener-link-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                beat();
            }
            catch (RuntimeException e) {
                log.warn("A link-change heartbeat failed", e);
            }
        }, 0, heartbeatInterval.toNanos(), TimeUnit.NANOSECONDS);
        heartbeats = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = heartbeats;
        heartbeats = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return heartbeats != null;
    }

}
