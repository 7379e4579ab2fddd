package ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import ratelimit.core.NanoClock;

/**
 * A circuit breaker for the limiter's Redis calls. After a failure no call is made for
 * one back-off period; then a single caller tries Redis while the others keep deciding
 * without it, and a success closes the breaker. So a hung Redis costs one command timeout
 * per period, not one per request. Lock-free: one volatile read when Redis is healthy.
 */
final class RedisBackoff {

    private final Duration period;

    private final long periodNanos;

    private final NanoClock clock;

    private volatile boolean open;

    // While open: the clock reading from which one caller may try Redis again.
    private final AtomicLong retryAt = new AtomicLong();

    RedisBackoff(Duration period, NanoClock clock) {
        this.period = period;
        this.periodNanos = period.toNanos();
        this.clock = clock;
    }

    Duration period() {
        return period;
    }

    /**
     * Whether to call Redis now: always while closed; while open, once per period (the
     * probe).
     */
    boolean mayCall() {
        if (!open) {
            return true;
        }
        long at = retryAt.get();
        long now = clock.nanoTime();
        return now - at >= 0 && retryAt.compareAndSet(at, now + periodNanos);
    }

    /**
     * @return true if this closed the breaker (Redis is back)
     */
    boolean succeeded() {
        if (!open) {
            return false;
        }
        open = false;
        return true;
    }

    /**
     * @return true if this opened the breaker (Redis just became unreachable)
     */
    boolean failed() {
        retryAt.set(clock.nanoTime() + periodNanos);
        boolean wasOpen = open;
        open = true;
        return !wasOpen;
    }

}
