package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConsumptionHandlerTest {

    private static final BucketSpec TEN_PER_SECOND = new BucketSpec(10, 10, Duration.ofSeconds(1));

    /**
     * Answers with the probe the handler's arguments describe, for comparison with the
     * probe-returning method.
     */
    private static final ConsumptionHandler<ConsumptionProbe> AS_PROBE = ConsumptionProbe::new;

    @Test
    void aBucketTellsTheHandlerWhatItsProbeWouldSay() {
        ManualClock clock = new ManualClock(0);
        TokenBucket withHandler = new TokenBucket(TEN_PER_SECOND, clock);
        TokenBucket withProbe = new TokenBucket(TEN_PER_SECOND, clock);

        // grants, then refusals with waits
        for (long tokens : new long[] { 4, 4, 4, 1, 3, 2 }) {
            assertThat(withHandler.tryConsume(tokens, AS_PROBE)).isEqualTo(withProbe.tryConsume(tokens));
            clock.advance(30_000_000L);
        }
    }

    @Test
    void aRegistryTellsTheHandlerWhatItsProbeWouldSayIncludingAtTheCap() {
        ManualClock clock = new ManualClock(0);
        KeyedBuckets<String> withHandler = new KeyedBuckets<>(TEN_PER_SECOND, 2, clock);
        KeyedBuckets<String> withProbe = new KeyedBuckets<>(TEN_PER_SECOND, 2, clock);
        List<ConsumptionProbe> told = new ArrayList<>();

        // c meets the cap while a and b are not full and spends from the overflow bucket,
        // d finds it short
        for (String key : new String[] { "a", "b", "a", "c", "d" }) {
            ConsumptionProbe expected = withProbe.tryConsume(key, 6);
            assertThat(withHandler.tryConsume(key, 6, AS_PROBE)).isEqualTo(expected);
            told.add(expected);
        }
        assertThat(told).extracting(ConsumptionProbe::consumed).containsExactly(true, true, false, true, false);
        assertThat(withHandler.overflowDecisions()).isEqualTo(2);
    }

    @Test
    void aRetiredBucketNeverCallsTheHandler() {
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, new ManualClock(0));
        assertThat(bucket.retireIfFull()).isTrue();
        AtomicInteger calls = new AtomicInteger();

        assertThatIllegalStateException()
            .isThrownBy(() -> bucket.tryConsume(1, (consumed, remaining, wait) -> calls.incrementAndGet()));
        assertThat(calls).hasValue(0);
    }

    @Test
    void decisionsThroughAHandlerAllocateNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ManualClock clock = new ManualClock(0);
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 100, clock);
        TokenBucket bucket = new TokenBucket(TEN_PER_SECOND, clock);
        String[] keys = { "alice", "bob", "carol" };
        ConsumptionHandler<Boolean> yesOrNo = (consumed, remaining, wait) -> consumed;
        int decisions = 100_000;
        // creates the buckets and links the lambda
        decide(clock, buckets, bucket, keys, yesOrNo, decisions);

        long before = threads.getCurrentThreadAllocatedBytes();
        int granted = decide(clock, buckets, bucket, keys, yesOrNo, decisions);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        // both outcomes occurred
        assertThat(granted).isGreaterThan(decisions).isLessThan(2 * decisions);
        // A probe per decision would be 6.4 MB here; a little slack for the allocation
        // counter's own bookkeeping.
        assertThat(allocated).isLessThan(1_024);
    }

    /**
     * Half a token period per round: the keys always find a token, the single bucket
     * every other time.
     */
    private static int decide(ManualClock clock, KeyedBuckets<String> buckets, TokenBucket bucket, String[] keys,
            ConsumptionHandler<Boolean> handler, int decisions) {
        int granted = 0;
        for (int i = 0; i < decisions; i++) {
            if (buckets.tryConsume(keys[i % keys.length], 1, handler)) {
                granted++;
            }
            if (bucket.tryConsume(1, handler)) {
                granted++;
            }
            clock.advance(50_000_000L);
        }
        return granted;
    }

}
