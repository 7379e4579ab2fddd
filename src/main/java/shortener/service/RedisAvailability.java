package shortener.service;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.dao.DataAccessException;

/**
 * The circuit breaker on the shortener's Redis. Logs each change of state once, not each
 * failed call, and after a failure lets a call through only once per retry interval, so
 * an unreachable (or hanging) Redis does not add its timeout to every redirect: only the
 * calls already waiting when it failed, and the one probe per interval (usually the
 * heartbeat's), wait for the timeout.
 */
class RedisAvailability {

    private static final Log log = LogFactory.getLog(RedisAvailability.class);

    private final long retryEveryNanos;

    private final AtomicBoolean reachable = new AtomicBoolean(true);

    private final AtomicLong nextAttemptNanos = new AtomicLong();

    RedisAvailability(Duration retryEvery) {
        this.retryEveryNanos = retryEvery.toNanos();
    }

    /**
     * Whether to call Redis now: always while it is up, once per retry interval while it
     * is down.
     */
    boolean worthTrying() {
        if (reachable.get()) {
            return true;
        }
        long next = nextAttemptNanos.get();
        return System.nanoTime() - next >= 0
                && nextAttemptNanos.compareAndSet(next, System.nanoTime() + retryEveryNanos);
    }

    boolean isReachable() {
        return reachable.get();
    }

    void succeeded() {
        if (reachable.compareAndSet(false, true)) {
            log.info("Redis is reachable again: redirects use the shared cache and click limits again");
        }
    }

    void failed(DataAccessException e) {
        nextAttemptNanos.set(System.nanoTime() + retryEveryNanos);
        if (reachable.compareAndSet(true, false)) {
            log.warn("Redis is unreachable (" + e.getMostSpecificCause().getMessage()
                    + "): redirects read PostgreSQL and "
                    + "recent near-cache entries, links with a click limit answer 503 until Redis is back");
        }
    }

}
