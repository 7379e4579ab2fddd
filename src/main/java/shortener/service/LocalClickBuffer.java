package shortener.service;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import shortener.ClicksRecorded.Click;

/**
 * The clicks this instance served, held in memory until the next flush writes them to
 * PostgreSQL (Redis or not). Bounded: when full, a click is dropped, counted in
 * quartet.shortener.clicks.dropped and logged once per overflow. Lost if the JVM dies
 * before the flush.
 */
class LocalClickBuffer {

    private static final Log log = LogFactory.getLog(LocalClickBuffer.class);

    private final BlockingQueue<Click> clicks;

    private final Counter dropped;

    private final AtomicBoolean overflowing = new AtomicBoolean();

    LocalClickBuffer(int capacity, MeterRegistry meters) {
        this.clicks = new ArrayBlockingQueue<>(capacity);
        this.dropped = meters.counter("quartet.shortener.clicks.dropped");
    }

    void add(Click click) {
        if (clicks.offer(click)) {
            overflowing.set(false);
            return;
        }
        dropped.increment();
        if (overflowing.compareAndSet(false, true)) {
            log.warn("The in-memory click buffer is full (" + clicks.size()
                    + " clicks): further clicks are dropped until it is flushed");
        }
    }

    /** Takes up to {@code max} clicks out of the buffer. */
    List<Click> drain(int max) {
        List<Click> drained = new ArrayList<>();
        clicks.drainTo(drained, max);
        return drained;
    }

    /**
     * Puts back clicks that could not be written; what no longer fits is dropped and
     * counted.
     */
    void restore(List<Click> unwritten) {
        unwritten.forEach(this::add);
    }

    int size() {
        return clicks.size();
    }

    double dropped() {
        return dropped.count();
    }

}
