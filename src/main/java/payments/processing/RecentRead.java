package payments.processing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A value read at most once per interval: several gauges share one query, and a scrape every
 * few seconds from each instance does not turn into a query per gauge per scrape.
 */
final class RecentRead<T> {

    private final long intervalNanos;
    private final Supplier<T> read;
    private T value;
    private long readAt;

    RecentRead(Duration interval, Supplier<T> read) {
        this.intervalNanos = interval.toNanos();
        this.read = read;
    }

    synchronized T get() {
        long now = System.nanoTime();
        if (value == null || now - readAt >= intervalNanos) {
            value = read.get();
            readAt = now;
        }
        return value;
    }
}
