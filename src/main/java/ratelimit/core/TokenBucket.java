package ratelimit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free token bucket: starts full, refills lazily on the {@link RefillSchedule}, and decides in O(1) with
 * one compare-and-set (retried only if another thread changed the state meanwhile) and no allocation: the
 * outcome goes to a {@link ConsumptionHandler} as primitives, and only the convenience
 * {@link #tryConsume(long)} builds a {@link ConsumptionProbe} from them.
 *
 * <p>State layout: the whole mutable state is a single {@code long}, {@code spentThrough}: the index of the
 * newest minted token that is gone, either consumed or spilled because the bucket was full. All 64 bits are that
 * signed index (it starts at {@code -capacity}, i.e. full, and only grows); {@link #RETIRED}
 * ({@code Long.MIN_VALUE}) is the one reserved value. No timestamp is packed in: time lives in the immutable
 * schedule (clock + epoch), so at elapsed time {@code e}
 * <pre>   available(e) = min(capacity, tokensMintedBy(e) - spentThrough)</pre>
 * Tokens that would exceed capacity are spilled implicitly by the {@code min}, and written back as
 * {@code max(spentThrough, minted - capacity)} on the next successful consumption.
 *
 * <p>Requests for fewer than 1 or more than {@code capacity} tokens are programming errors, not rate-limit
 * outcomes (the latter can never succeed), so they throw {@link IllegalArgumentException}.
 */
public final class TokenBucket {

    /** Marks a bucket that {@link KeyedBuckets} evicted; real indexes are never below {@code -capacity}. */
    static final long RETIRED = Long.MIN_VALUE;

    /**
     * What {@link #tryConsumeUnlessRetired} returns for a retired bucket instead of calling the handler: a
     * private object no handler can return, so no result value (not even {@code null}) is reserved.
     */
    static final Object RETIRED_OUTCOME = new Object();

    private static final ConsumptionHandler<ConsumptionProbe> PROBE = ConsumptionProbe::new;

    private static final VarHandle SPENT_THROUGH;

    static {
        try {
            SPENT_THROUGH = MethodHandles.lookup().findVarHandle(TokenBucket.class, "spentThrough", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BucketSpec spec;
    private final RefillSchedule schedule;
    private volatile long spentThrough; // a field + VarHandle rather than an AtomicLong: one object less per key

    /** A bucket with its own schedule, anchored at the clock's current reading. */
    public TokenBucket(BucketSpec spec, NanoClock clock) {
        this(spec, new RefillSchedule(spec, clock, clock.nanoTime()));
    }

    /** A bucket that is full now, on a (possibly shared) schedule. */
    TokenBucket(BucketSpec spec, RefillSchedule schedule) {
        this.spec = spec;
        this.schedule = schedule;
        this.spentThrough = schedule.tokensMintedBy(schedule.elapsedNanos()) - spec.capacity();
    }

    public BucketSpec spec() {
        return spec;
    }

    /** Takes {@code tokens} if that many are available now, otherwise takes nothing and says how long to wait. */
    public ConsumptionProbe tryConsume(long tokens) {
        return tryConsume(tokens, PROBE);
    }

    /** As {@link #tryConsume(long)}, but hands the outcome to {@code handler} instead of allocating a probe. */
    public <R> R tryConsume(long tokens, ConsumptionHandler<R> handler) {
        R outcome = tryConsumeUnlessRetired(tokens, handler);
        if (outcome == RETIRED_OUTCOME) {
            throw new IllegalStateException("this bucket was evicted by its KeyedBuckets and must not be used");
        }
        return outcome;
    }

    /** Whole tokens available now. */
    public long availableTokens() {
        long spent = spentThrough;
        if (spent == RETIRED) {
            return spec.capacity(); // it was full when retired, as is the bucket that replaces it
        }
        long minted = schedule.tokensMintedBy(schedule.elapsedNanos());
        return Math.max(0, Math.min(spec.capacity(), minted - spent));
    }

    /**
     * As {@link #tryConsume(long, ConsumptionHandler)}, but {@link #RETIRED_OUTCOME} once retired (without
     * calling the handler), so that the registry can retry elsewhere.
     */
    @SuppressWarnings("unchecked")
    <R> R tryConsumeUnlessRetired(long tokens, ConsumptionHandler<R> handler) {
        requireSatisfiable(spec, tokens);
        while (true) {
            // State before clock: whoever wrote this state read the clock before its CAS, so our reading is no
            // older than theirs and `available` cannot go negative on a monotonic clock.
            long spent = spentThrough;
            if (spent == RETIRED) {
                return (R) RETIRED_OUTCOME;
            }
            long elapsed = schedule.elapsedNanos();
            long minted = schedule.tokensMintedBy(elapsed);
            long gone = Math.max(spent, minted - spec.capacity());
            long available = minted - gone;
            if (available < tokens) {
                long wait = schedule.nanosUntilMinted(gone + tokens, elapsed);
                return handler.decided(false, Math.max(0, available), wait);
            }
            if (SPENT_THROUGH.compareAndSet(this, spent, gone + tokens)) {
                return handler.decided(true, available - tokens, 0);
            }
        }
    }

    /** Retires the bucket if, and only if, it is full now; a retired bucket refuses all further consumption. */
    boolean retireIfFull() {
        while (true) {
            long spent = spentThrough;
            if (spent == RETIRED) {
                return false;
            }
            long minted = schedule.tokensMintedBy(schedule.elapsedNanos());
            if (minted - spent < spec.capacity()) {
                return false;
            }
            if (SPENT_THROUGH.compareAndSet(this, spent, RETIRED)) {
                return true;
            }
        }
    }

    static void requireSatisfiable(BucketSpec spec, long tokens) {
        if (tokens < 1) {
            throw new IllegalArgumentException("must consume at least 1 token but asked for " + tokens);
        }
        if (tokens > spec.capacity()) {
            throw new IllegalArgumentException("asked for " + tokens + " tokens, which can never be satisfied by "
                    + "a bucket of capacity " + spec.capacity());
        }
    }

    @Override
    public String toString() {
        return "TokenBucket[" + availableTokens() + "/" + spec.capacity() + " available, " + spec + "]";
    }
}
