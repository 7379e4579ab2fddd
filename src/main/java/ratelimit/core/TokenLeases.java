package ratelimit.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tokens taken from a shared bucket (Redis) in leases of up to {@code leaseSize} and
 * spent here, so only about one decision in {@code leaseSize} costs a round trip; a
 * refusal is remembered until the shared bucket could grant again, so a client hammering
 * an empty bucket costs none.
 *
 * <p>
 * The price, stated and tested: the shared bucket is exact, and every token granted here
 * was taken from it, but a token may be spent some time after it was taken. One instance
 * holds at most {@code leaseSize - 1} tokens per key (one lease is taken at a time per
 * key, and only when the tokens held cannot pay for the request), so N instances sharing
 * a key grant, over any window of length w, at most
 * {@code capacity + floor(rate x w) + N x (leaseSize - 1)} tokens: the shared bucket's
 * bound plus what the instances held when the window opened. A burst on a fresh key never
 * gets more than the capacity. With {@code leaseSize} 1 every decision is the shared
 * bucket's own.
 *
 * <p>
 * Lock-free on the hot path (a compare-and-set on the key's held count); memory is
 * bounded by {@code maxKeys}: at the cap a new key is decided by the shared bucket alone,
 * with no lease.
 */
public final class TokenLeases<K> {

    /**
     * Where leases come from: takes between {@code least} and {@code most} tokens at
     * once.
     */
    @FunctionalInterface
    public interface Source<K> {

        /**
         * Takes as many tokens as the bucket holds up to {@code most}, or none if it
         * holds fewer than {@code least}.
         */
        Lease take(K key, long least, long most);

    }

    /**
     * What the shared bucket gave.
     *
     * @param granted tokens taken: 0, or between the least and the most asked for
     * @param remaining whole tokens left in the shared bucket
     * @param nanosToWait when nothing was granted, how long until the least could be
     * taken; else 0
     */
    public record Lease(long granted, long remaining, long nanosToWait) {
    }

    private final Source<K> source;

    private final long leaseSize;

    private final int maxKeys;

    private final long idleNanos;

    private final NanoClock clock;

    private final ConcurrentHashMap<K, Held> held = new ConcurrentHashMap<>();

    /**
     * @param idleNanos a key untouched this long is forgotten with what it holds: choose
     * the time the shared bucket takes to refill from empty, after which it is full
     * anyway
     */
    public TokenLeases(Source<K> source, long leaseSize, int maxKeys, long idleNanos, NanoClock clock) {
        if (leaseSize < 1 || maxKeys < 1 || idleNanos < 1) {
            throw new IllegalArgumentException("Lease size, key cap and idle time must be positive");
        }
        this.source = source;
        this.leaseSize = leaseSize;
        this.maxKeys = maxKeys;
        this.idleNanos = idleNanos;
        this.clock = clock;
    }

    /** What this instance holds for one key. */
    private static final class Held {

        final AtomicLong tokens = new AtomicLong();

        // One lease in flight per key, so the tokens held never exceed leaseSize - 1.
        final AtomicBoolean leasing = new AtomicBoolean();

        // The shared bucket's count at the last lease, for the RateLimit header only.
        volatile long sharedRemaining;

        // Refused until this reading of the clock, if refused is set.
        volatile long refusedUntil;

        volatile boolean refused;

        volatile long lastUsed;

        /**
         * The tokens left after taking {@code n}, or -1 (and nothing taken) if fewer are
         * held.
         */
        long take(long n) {
            for (long now = tokens.get(); now >= n; now = tokens.get()) {
                if (tokens.compareAndSet(now, now - n)) {
                    return now - n;
                }
            }
            return -1;
        }

    }

    public <R> R tryConsume(K key, long tokens, ConsumptionHandler<R> handler) {
        long now = clock.nanoTime();
        Held holder = held.get(key);
        if (holder == null && held.size() < maxKeys) {
            holder = held.computeIfAbsent(key, k -> new Held());
        }
        if (holder == null) {
            // at the cap: the shared bucket alone
            return decided(source.take(key, tokens, tokens), tokens, handler);
        }
        holder.lastUsed = now;
        long left = holder.take(tokens);
        if (left >= 0) {
            return handler.decided(true, left + holder.sharedRemaining, 0);
        }
        if (holder.refused && now - holder.refusedUntil < 0) {
            return handler.decided(false, holder.tokens.get(), holder.refusedUntil - now);
        }
        if (!holder.leasing.compareAndSet(false, true)) {
            // another lease is on its way: take exactly
            return decided(source.take(key, tokens, tokens), tokens, handler);
        }
        try {
            // a lease may have landed while this request won the flag
            left = holder.take(tokens);
            if (left >= 0) {
                return handler.decided(true, left + holder.sharedRemaining, 0);
            }
            Lease lease = source.take(key, tokens, Math.max(tokens, leaseSize));
            if (lease.granted() == 0) {
                holder.refusedUntil = now + lease.nanosToWait();
                holder.refused = true;
                return handler.decided(false, holder.tokens.get(), lease.nanosToWait());
            }
            holder.refused = false;
            holder.sharedRemaining = lease.remaining();
            long kept = holder.tokens.addAndGet(lease.granted() - tokens);
            return handler.decided(true, kept + lease.remaining(), 0);
        }
        finally {
            holder.leasing.set(false);
        }
    }

    private static <R> R decided(Lease lease, long tokens, ConsumptionHandler<R> handler) {
        return handler.decided(lease.granted() >= tokens, lease.remaining(), lease.nanosToWait());
    }

    /** Forgets keys untouched for the idle time, with the tokens they hold. */
    public void evictIdle() {
        long now = clock.nanoTime();
        held.entrySet()
            .removeIf(entry -> now - entry.getValue().lastUsed >= idleNanos && !entry.getValue().leasing.get());
    }

    /** Keys held now (for tests and metrics). */
    public int size() {
        return held.size();
    }

}
