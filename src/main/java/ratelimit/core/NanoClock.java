package ratelimit.core;

/**
 * A source of monotonic nanosecond readings, injectable so tests can drive time by hand.
 *
 * <p>
 * Like {@link System#nanoTime()}, a single reading means nothing: it may be any
 * {@code long}, negative or about to wrap. Only the difference of two readings
 * ({@code later - earlier}, which stays correct across the wrap) carries information.
 */
@FunctionalInterface
public interface NanoClock {

    long nanoTime();

    static NanoClock system() {
        return System::nanoTime;
    }

}
