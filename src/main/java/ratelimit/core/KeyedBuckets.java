package ratelimit.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * One {@link TokenBucket} per key, all with the same spec, in bounded memory.
 *
 * <p>
 * <b>Why full buckets can be dropped.</b> A bucket's entire future is determined by its
 * deficit (how far it is from full), and a full bucket has none, whatever its history:
 * refill while full is lost. A full bucket is therefore in exactly the state a new one
 * starts in, and forgetting its key and creating a fresh bucket on the key's next request
 * changes no decision. {@link #evictIdle()} does that; {@code KeyedBucketsTest} checks
 * the equivalence against a registry that never evicts, and
 * {@code KeyedBucketsLincheckTest} under concurrency. All buckets share one
 * {@link RefillSchedule} (one clock, one epoch): one object per registry, not per key.
 *
 * <p>
 * <b>No lost updates.</b> A request may already hold a bucket that a sweep is evicting.
 * Eviction therefore first retires the bucket atomically, and only if it is still full; a
 * request that meets a retired bucket looks the key up again instead of consuming from an
 * orphan.
 *
 * <p>
 * <b>The cap: full buckets go first, then new keys share an overflow bucket.</b> At most
 * {@code maxKeys} keys have a bucket (a hard cap: a slot is reserved before a bucket is
 * inserted). A new key arriving at the cap triggers an opportunistic sweep of full
 * buckets; if that frees no slot, the request spends from one overflow bucket (same spec)
 * shared by every key that finds the registry full. Known keys are never affected, and
 * new clients are served at the overflow bucket's rate instead of being locked out by
 * whoever filled the registry (refusing them, as this class once did, let a flood of new
 * keys lock out every newcomer). The price, bounded and stated: a key served by the
 * overflow bucket that later gets its own bucket starts that bucket full, so over a
 * window it can get its own allowance plus what it took from the overflow; all such
 * extras together never exceed what the overflow bucket grants, capacity + floor(rate x
 * w), whatever the number of keys. A fruitless sweep is not repeated until a token's
 * worth of time has passed, so a flood of new keys cannot force a scan per request.
 *
 * @param <K> key type; keys must not be {@code null} and need stable
 * {@code equals}/{@code hashCode}
 */
public final class KeyedBuckets<K> {

    private static final ConsumptionHandler<ConsumptionProbe> PROBE = ConsumptionProbe::new;

    private final BucketSpec spec;

    private final int maxKeys;

    private final RefillSchedule schedule;

    private final ConcurrentHashMap<K, TokenBucket> buckets = new ConcurrentHashMap<>();

    // reserved before insert: a hard cap under races
    private final AtomicInteger slotsInUse = new AtomicInteger();

    private final TokenBucket overflow;

    private final LongAdder overflowDecisions = new LongAdder();

    private final AtomicBoolean sweeping = new AtomicBoolean();

    private volatile long lastFruitlessSweepTicks;

    private volatile boolean sweptFruitlessly;

    public KeyedBuckets(BucketSpec spec, int maxKeys, NanoClock clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1 but was " + maxKeys);
        }
        this.spec = spec;
        this.maxKeys = maxKeys;
        this.schedule = new RefillSchedule(spec, clock, clock.nanoTime());
        this.overflow = new TokenBucket(spec, schedule);
    }

    /**
     * Consumes from the key's bucket, creating it full if new; while the registry is full
     * (and no bucket in it is), a new key spends from the shared overflow bucket instead.
     */
    public ConsumptionProbe tryConsume(K key, long tokens) {
        return tryConsume(key, tokens, PROBE);
    }

    /**
     * As {@link #tryConsume(Object, long)}, but hands the outcome to {@code handler}
     * instead of allocating a probe: for a known key the decision allocates nothing.
     */
    /**
     * Takes {@code tokens} from the key's bucket if it has them: the decision alone, the
     * cheapest call.
     */
    public boolean tryTake(K key, long tokens) {
        return tryConsume(key, tokens, TokenBucket.DECISION_ONLY);
    }

    public <R> R tryConsume(K key, long tokens, ConsumptionHandler<R> handler) {
        TokenBucket.requireSatisfiable(spec, tokens);
        while (true) {
            TokenBucket bucket = bucketFor(key);
            if (bucket == null) {
                overflowDecisions.increment();
                // never retired: it is not in the map
                return overflow.tryConsume(tokens, handler);
            }
            R outcome = bucket.tryConsumeUnlessRetired(tokens, handler);
            if (outcome != TokenBucket.RETIRED_OUTCOME) {
                return outcome;
            }
            // a sweep retired it between our lookup and our consumption: help, then retry
            forget(key, bucket);
        }
    }

    /**
     * Drops every bucket that is full now (see the class comment for why that is safe).
     * Meant to run on a schedule; also runs opportunistically when a new key meets the
     * cap.
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

    /**
     * Decisions taken by the overflow bucket so far because a new key met the cap; a
     * steadily rising count means maxKeys is too low for the traffic (or a flood of new
     * keys is under way).
     */
    public long overflowDecisions() {
        return overflowDecisions.sum();
    }

    public int maxKeys() {
        return maxKeys;
    }

    public BucketSpec spec() {
        return spec;
    }

    /**
     * The key's bucket (created full if new), or {@code null} if it has none and the
     * registry is full.
     */
    @Nullable TokenBucket bucketFor(K key) {
        TokenBucket existing = buckets.get(key);
        if (existing != null) {
            return existing;
        }
        if (!reserveSlot()) {
            sweepUnlessFruitlessWithinAToken();
            if (!reserveSlot()) {
                // a racing request for the same key may just have taken the last slot
                return buckets.get(key);
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

    /**
     * Sweeps unless a sweep found nothing full less than a token's worth of time ago: a
     * flood of new keys then costs one scan per token interval, not one per request. A
     * bucket that fills meanwhile waits for the next sweep, and its would-be successor
     * spends from the overflow bucket until then: safe, if less generous.
     */
    private void sweepUnlessFruitlessWithinAToken() {
        long now = schedule.ticksNow();
        long sinceFruitless = now - lastFruitlessSweepTicks;
        if (sweptFruitlessly && sinceFruitless >= 0 && sinceFruitless < schedule.tokenTicks()) {
            return;
        }
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            if (evictIdle() == 0) {
                lastFruitlessSweepTicks = now;
                sweptFruitlessly = true;
            }
        }
        finally {
            sweeping.set(false);
        }
    }

}
