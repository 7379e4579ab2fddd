package ratelimit.core;

import java.math.BigInteger;

/**
 * The reference model: a textbook token bucket in exact rational arithmetic, with time as
 * an unbounded count of nanoseconds since the bucket was created (it never wraps).
 *
 * <p>
 * The level is kept in units where one token is {@code periodNanos} units and each
 * nanosecond adds {@code refillTokens} units, so nothing is ever rounded. Refill while
 * full is lost, as it must be: a bucket that has been full holds exactly {@code capacity}
 * tokens, whatever fraction of a token was under way.
 */
public final class TextbookBucket {

    private final BigInteger full;

    private final BigInteger tokenUnits;

    private final BigInteger unitsPerNano;

    private BigInteger level;

    private BigInteger lastNanos = BigInteger.ZERO;

    public TextbookBucket(long capacity, long refillTokens, long periodNanos) {
        this.tokenUnits = BigInteger.valueOf(periodNanos);
        this.unitsPerNano = BigInteger.valueOf(refillTokens);
        this.full = BigInteger.valueOf(capacity).multiply(tokenUnits);
        this.level = full;
    }

    /**
     * The decision at {@code nanos} since creation (never earlier than the previous
     * call).
     */
    public ConsumptionProbe tryConsume(BigInteger nanos, long tokens) {
        refill(nanos);
        BigInteger cost = BigInteger.valueOf(tokens).multiply(tokenUnits);
        if (level.compareTo(cost) >= 0) {
            level = level.subtract(cost);
            return new ConsumptionProbe(true, wholeTokens(), 0);
        }
        BigInteger[] waitAndRest = cost.subtract(level).divideAndRemainder(unitsPerNano);
        long wait = waitAndRest[0].longValueExact() + (waitAndRest[1].signum() > 0 ? 1 : 0);
        return new ConsumptionProbe(false, wholeTokens(), wait);
    }

    long availableTokens(BigInteger nanos) {
        refill(nanos);
        return wholeTokens();
    }

    private void refill(BigInteger nanos) {
        if (nanos.compareTo(lastNanos) < 0) {
            throw new IllegalArgumentException("the reference model's time only moves forward");
        }
        level = full.min(level.add(nanos.subtract(lastNanos).multiply(unitsPerNano)));
        lastNanos = nanos;
    }

    private long wholeTokens() {
        return level.divide(tokenUnits).longValueExact();
    }

}
