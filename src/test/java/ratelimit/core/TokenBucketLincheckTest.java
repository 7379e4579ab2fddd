package ratelimit.core;

import java.time.Duration;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck's model checker explores interleavings of these calls, checks every outcome
 * against some sequential order of the same calls, and checks obstruction-freedom (no
 * thread can block another: the bucket is lock-free). Its stress mode added nothing on
 * two cores but 14 s, so it is left out.
 *
 * <p>
 * The clock is frozen during a scenario, on purpose. With the clock advancing
 * concurrently the bucket is <em>not</em> linearizable if time counts as shared state,
 * and cannot be: a decision reads the clock, then compare-and-sets, so it acts at its own
 * clock reading while another call may already have observed a later instant (Lincheck
 * finds this at once). Safety is unaffected: nothing is ever granted beyond capacity +
 * tokens minted, which TokenBucketConcurrencyTest checks with a concurrently advancing
 * clock.
 *
 * <p>
 * The frozen instant is chosen to exercise the interesting paths: the clock has wrapped
 * past Long.MAX_VALUE since the bucket was created, and tokens minted into the full
 * bucket have spilled.
 */
@Param(name = "tokens", gen = LongGen.class, conf = "1:3")
public class TokenBucketLincheckTest {

    private final TokenBucket bucket;

    public TokenBucketLincheckTest() {
        ManualClock clock = new ManualClock(Long.MAX_VALUE - 20);
        bucket = new TokenBucket(new BucketSpec(3, 1, Duration.ofNanos(10)), clock);
        clock.advance(25);
    }

    @Operation
    public ConsumptionProbe tryConsume(@Param(name = "tokens") long tokens) {
        return bucket.tryConsume(tokens);
    }

    @Operation
    public long availableTokens() {
        return bucket.availableTokens();
    }

    @Test
    void isLinearizableAndLockFreeUnderModelChecking() {
        new ModelCheckingOptions().iterations(20)
            .invocationsPerIteration(200)
            .threads(3)
            .actorsPerThread(3)
            .checkObstructionFreedom(true)
            .check(getClass());
    }

}
