package ratelimit.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test says so; safe to read and advance from many
 * threads.
 */
final class ManualClock implements NanoClock {

    private final AtomicLong now;

    ManualClock(long startNanos) {
        this.now = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /**
     * Moves time by {@code nanos} (negative moves it back), wrapping like
     * {@link System#nanoTime()} may.
     */
    void advance(long nanos) {
        now.addAndGet(nanos);
    }

}
