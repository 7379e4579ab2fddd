package ratelimit.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One {@link TokenBucket} per key, all with the same spec, in bounded memory.
 *
 * <p><b>Why full buckets can be dropped.</b> Every bucket here shares one {@link RefillSchedule}, hence one
 * epoch, so a bucket's entire future is determined by its single state value. A full bucket's effective state
 * at elapsed time {@code e} is {@code tokensMintedBy(e) - capacity} whatever its history, which is exactly the
 * state a bucket created at {@code e} starts with. So an idle bucket that has refilled to full is
 * indistinguishable from a new one: forgetting its key and creating a fresh bucket on the key's next request
 * changes no decision. {@link #evictIdle()} does that; {@code KeyedBucketsTest} checks the equivalence against a
 * registry that never evicts, and {@code KeyedBucketsLincheckTest} under concurrency.
 *
 * <p><b>No lost updates.</b> A request may already hold a bucket that a sweep is evicting. Eviction therefore
 * first retires the bucket atomically, and only if it is still full; a request that meets a retired bucket
 * looks the key up again instead of consuming from an orphan.
 *
 * <p><b>The cap: new keys are refused.</b> At most {@code maxKeys} keys have a bucket (a hard cap: a slot is
 * reserved before a bucket is inserted). A new key arriving at the cap triggers an opportunistic sweep; if that
 * frees no slot, the request is refused: not consumed, 0 remaining, and told to wait until the next mint
 * instant, the earliest moment any bucket can become full and so evictable. Known keys are unaffected.
 * Refusing rather than sharing an overflow bucket keeps one invariant without exception: a key never gets more
 * than its own bucket's allowance (with a shared overflow bucket, a key could spend from it and then again from
 * its own fresh bucket once a slot freed up). Under a race for the last slot the outcome is at worst an extra
 * refusal, never an extra token. Since buckets only become full at mint instants, a fruitless sweep is not
 * repeated before the next one, so a flood of new keys cannot force a scan per request.
 *
 * @param <K> key type; keys must not be {@code null} and need stable {@code equals}/{@code hashCode}
 */
public final class KeyedBuckets<K> {

    private static final ConsumptionHandler<ConsumptionProbe> PROBE = ConsumptionProbe::new;

    private final BucketSpec spec;
    private final int maxKeys;
    private final RefillSchedule schedule;
    private final ConcurrentHashMap<K, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger slotsInUse = new AtomicInteger(); // reserved before insert: a hard cap under races
    private final LongAdder refusals = new LongAdder();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile long mintedAtLastFruitlessSweep = -1;

    public KeyedBuckets(BucketSpec spec, int maxKeys, NanoClock clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1 but was " + maxKeys);
        }
        this.spec = spec;
        this.maxKeys = maxKeys;
        this.schedule = new RefillSchedule(spec, clock, clock.nanoTime());
    }

    /** Consumes from the key's bucket, creating it full if new; refuses a new key while the registry is full. */
    public ConsumptionProbe tryConsume(K key, long tokens) {
        return tryConsume(key, tokens, PROBE);
    }

    /**
     * As {@link #tryConsume(Object, long)}, but hands the outcome to {@code handler} instead of allocating a
     * probe: for a known key the decision allocates nothing.
     */
    public <R> R tryConsume(K key, long tokens, ConsumptionHandler<R> handler) {
        TokenBucket.requireSatisfiable(spec, tokens);
        while (true) {
            TokenBucket bucket = bucketFor(key);
            if (bucket == null) {
                return refusal(handler);
            }
            R outcome = bucket.tryConsumeUnlessRetired(tokens, handler);
            if (outcome != TokenBucket.RETIRED_OUTCOME) {
                return outcome;
            }
            forget(key, bucket); // a sweep retired it between our lookup and our consumption: help, then retry
        }
    }

    /**
     * Drops every bucket that is full now (see the class comment for why that is safe).
     * Meant to run on a schedule; also runs opportunistically when a new key meets the cap.
     *
     * @return how many keys were dropped
     */
    public int evictIdle() {
        int evicted = 0;
        for (Map.Entry<K, TokenBucket> entry : buckets.entrySet()) {
            if (entry.getValue().retireIfFull() && forget(entry.getKey(), entry.getValue())) {
                evicted++;
            }
        }
        return evicted;
    }

    /** Keys that currently have a bucket. */
    public int size() {
        return slotsInUse.get();
    }

    /** Requests refused so far because a new key met the cap; a steadily rising count means maxKeys is too low. */
    public long refusals() {
        return refusals.sum();
    }

    public int maxKeys() {
        return maxKeys;
    }

    public BucketSpec spec() {
        return spec;
    }

    /** The key's bucket (created full if new), or {@code null} if it has none and the registry is full. */
    TokenBucket bucketFor(K key) {
        TokenBucket existing = buckets.get(key);
        if (existing != null) {
            return existing;
        }
        if (!reserveSlot()) {
            sweepUnlessFruitlessSinceLastMint();
            if (!reserveSlot()) {
                return buckets.get(key); // a racing request for the same key may just have taken the last slot
            }
        }
        TokenBucket fresh = new TokenBucket(spec, schedule);
        TokenBucket raced = buckets.putIfAbsent(key, fresh);
        if (raced != null) {
            slotsInUse.decrementAndGet();
            return raced;
        }
        return fresh;
    }

    private <R> R refusal(ConsumptionHandler<R> handler) {
        refusals.increment();
        long elapsed = schedule.elapsedNanos();
        long nextMint = schedule.tokensMintedBy(elapsed) + 1;
        return handler.decided(false, 0, schedule.nanosUntilMinted(nextMint, elapsed));
    }

    private boolean forget(K key, TokenBucket retired) {
        if (buckets.remove(key, retired)) {
            slotsInUse.decrementAndGet();
            return true;
        }
        return false;
    }

    private boolean reserveSlot() {
        while (true) {
            int used = slotsInUse.get();
            if (used >= maxKeys) {
                return false;
            }
            if (slotsInUse.compareAndSet(used, used + 1)) {
                return true;
            }
        }
    }

    private void sweepUnlessFruitlessSinceLastMint() {
        long minted = schedule.tokensMintedBy(schedule.elapsedNanos());
        if (minted <= mintedAtLastFruitlessSweep || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            if (evictIdle() == 0) {
                mintedAtLastFruitlessSweep = minted;
            }
        } finally {
            sweeping.set(false);
        }
    }
}
