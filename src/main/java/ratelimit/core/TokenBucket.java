package ratelimit.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A lock-free token bucket: starts full, refills continuously at the spec's rate, and
 * decides in O(1) with one compare-and-set (retried only if another thread changed the
 * state meanwhile) and no allocation: the outcome goes to a {@link ConsumptionHandler} as
 * primitives, and only the convenience {@link #tryConsume(long)} builds a
 * {@link ConsumptionProbe} from them.
 *
 * <p>
 * Exact: every decision is the one a textbook token bucket with a real-valued level would
 * take at the same instant (TokenBucketExactnessTest checks this against such a model).
 * In particular refill while full is lost, so over any window of length w it grants at
 * most {@code capacity + floor(rate * w)}.
 *
 * <p>
 * State layout: the whole mutable state is a single {@code long}, {@code fullAt}: the
 * instant, in the schedule's ticks of {@code 1/tokensPerStep} ns (see
 * {@link RefillSchedule}), at which the bucket will be full again if nobody consumes (the
 * "theoretical arrival time" of GCRA). At tick {@code now}
 * <pre>   deficit = clamp(fullAt - now, 0, capacityTicks)      available = (capacityTicks - deficit) / tokenTicks</pre>
 * and taking {@code n} tokens sets {@code fullAt = now + deficit + n * tokenTicks}. A
 * full bucket is any {@code fullAt} at or behind the clock, so the fraction of a token
 * under way while full is dropped, and a full bucket is in the same state as a new one.
 * Ticks keep fractions of a token exactly; the price is that {@code fullAt} is read
 * modulo 2^64, see {@link RefillSchedule#deficit} for the (safe) edge of that.
 * {@link #RETIRED} ({@code Long.MIN_VALUE}) is reserved: a write that would store it
 * stores the next tick instead, i.e. the bucket is full one tick (a fraction of a
 * nanosecond) later, which can delay a grant by at most a nanosecond and happens only
 * when the sum lands on that one value of 2^64.
 *
 * <p>
 * Requests for fewer than 1 or more than {@code capacity} tokens are programming errors,
 * not rate-limit outcomes (the latter can never succeed), so they throw
 * {@link IllegalArgumentException}.
 */
public final class TokenBucket {

    /**
     * Marks a bucket that {@link KeyedBuckets} evicted; never stored as a real state (see
     * the class comment).
     */
    static final long RETIRED = Long.MIN_VALUE;

    /**
     * What {@link #tryConsumeUnlessRetired} returns for a retired bucket instead of
     * calling the handler: a private object no handler can return, so no result value
     * (not even {@code null}) is reserved.
     */
    static final Object RETIRED_OUTCOME = new Object();

    /**
     * The handler of {@link #tryTake}: a correct handler in itself, and recognised by
     * identity so that a caller wanting only the yes or no skips the divisions that the
     * token count and the wait would cost.
     */
    static final ConsumptionHandler<Boolean> DECISION_ONLY = (consumed, remainingTokens, nanosToWait) -> consumed;

    private static final ConsumptionHandler<ConsumptionProbe> PROBE = ConsumptionProbe::new;

    private static final VarHandle FULL_AT;

    static {
        try {
            FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAt", long.class);
        }
        catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BucketSpec spec;

    private final RefillSchedule schedule;

    // a field + VarHandle rather than an AtomicLong: one object less per key
    private volatile long fullAt;

    /** A bucket with its own schedule, anchored at the clock's current reading. */
    public TokenBucket(BucketSpec spec, NanoClock clock) {
        this(spec, new RefillSchedule(spec, clock, clock.nanoTime()));
    }

    /** A bucket that is full now, on a (possibly shared) schedule. */
    TokenBucket(BucketSpec spec, RefillSchedule schedule) {
        this.spec = spec;
        this.schedule = schedule;
        long now = schedule.ticksNow();
        // full now; one tick behind is just as full
        this.fullAt = now == RETIRED ? now - 1 : now;
    }

    public BucketSpec spec() {
        return spec;
    }

    /**
     * Takes {@code tokens} if that many are available now, otherwise takes nothing and
     * says how long to wait.
     */
    public ConsumptionProbe tryConsume(long tokens) {
        return tryConsume(tokens, PROBE);
    }

    /**
     * As {@link #tryConsume(long)}, but hands the outcome to {@code handler} instead of
     * allocating a probe.
     */
    public <R> R tryConsume(long tokens, ConsumptionHandler<R> handler) {
        R outcome = tryConsumeUnlessRetired(tokens, handler);
        if (outcome == RETIRED_OUTCOME) {
            throw new IllegalStateException("this bucket was evicted by its KeyedBuckets and must not be used");
        }
        return outcome;
    }

    /**
     * Takes {@code tokens} if that many are available now: the decision alone, the
     * cheapest call.
     */
    public boolean tryTake(long tokens) {
        return tryConsume(tokens, DECISION_ONLY);
    }

    /** Whole tokens available now. */
    public long availableTokens() {
        long state = fullAt;
        if (state == RETIRED) {
            // it was full when retired, as is the bucket that replaces it
            return spec.capacity();
        }
        long deficit = schedule.deficit(state, schedule.ticksNow());
        return (schedule.capacityTicks() - deficit) / schedule.tokenTicks();
    }

    /**
     * As {@link #tryConsume(long, ConsumptionHandler)}, but {@link #RETIRED_OUTCOME} once
     * retired (without calling the handler), so that the registry can retry elsewhere.
     */
    @SuppressWarnings("unchecked")
    <R> R tryConsumeUnlessRetired(long tokens, ConsumptionHandler<R> handler) {
        requireSatisfiable(spec, tokens);
        // <= capacityTicks <= 2^62: no overflow
        long cost = tokens * schedule.tokenTicks();
        while (true) {
            // State before clock: whoever wrote this state read the clock before its CAS,
            // so our reading is no
            // older than theirs and the state is at most one capacity ahead of it on a
            // monotonic clock.
            long state = fullAt;
            if (state == RETIRED) {
                return (R) RETIRED_OUTCOME;
            }
            long now = schedule.ticksNow();
            long deficit = schedule.deficit(state, now);
            long room = schedule.capacityTicks() - deficit;
            if (room < cost) {
                if (handler == DECISION_ONLY) {
                    return (R) Boolean.FALSE;
                }
                return handler.decided(false, room / schedule.tokenTicks(), schedule.nanosToAccrue(cost - room));
            }
            long next = now + deficit + cost;
            if (FULL_AT.compareAndSet(this, state, next == RETIRED ? next + 1 : next)) {
                if (handler == DECISION_ONLY) {
                    return (R) Boolean.TRUE;
                }
                return handler.decided(true, (room - cost) / schedule.tokenTicks(), 0);
            }
        }
    }

    /**
     * Retires the bucket if, and only if, it is full now; a retired bucket refuses all
     * further consumption.
     */
    boolean retireIfFull() {
        while (true) {
            long state = fullAt;
            if (state == RETIRED || schedule.deficit(state, schedule.ticksNow()) > 0) {
                return false;
            }
            if (FULL_AT.compareAndSet(this, state, RETIRED)) {
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
