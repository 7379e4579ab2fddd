package ratelimit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyedBucketsTest {

    private static final long TOKEN_NANOS = 100_000_000L; // 10 per second

    private static final BucketSpec TEN_PER_SECOND = new BucketSpec(10, 10, Duration.ofSeconds(1));

    @Test
    void keysHaveIndependentBuckets() {
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 100, new ManualClock(0));

        assertThat(buckets.tryConsume("alice", 10).consumed()).isTrue();

        assertThat(buckets.tryConsume("alice", 1).consumed()).isFalse();
        assertThat(buckets.tryConsume("bob", 10)).isEqualTo(new ConsumptionProbe(true, 0, 0));
        assertThat(buckets.size()).isEqualTo(2);
    }

    @ParameterizedTest(name = "after consuming {0} and {1} and waiting {2} tokens: {3} evicted")
    @CsvSource({
            // consumedByA, consumedByB, tokenPeriodsWaited, expectedEvicted
            "1, 1, 0, 0", "1, 5, 1, 1", // a has refilled, b has not
            // refilled long ago
            "1, 5, 4, 1", "1, 5, 5, 2", "10, 10, 9, 0", "10, 10, 100, 2", })
    void evictsExactlyTheBucketsThatAreFull(long consumedByA, long consumedByB, long tokenPeriodsWaited,
            int expectedEvicted) {
        ManualClock clock = new ManualClock(Long.MAX_VALUE);
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 100, clock);
        buckets.tryConsume("a", consumedByA);
        buckets.tryConsume("b", consumedByB);

        clock.advance(tokenPeriodsWaited * TOKEN_NANOS);

        assertThat(buckets.evictIdle()).isEqualTo(expectedEvicted);
        assertThat(buckets.size()).isEqualTo(2 - expectedEvicted);
        assertThat(buckets.evictIdle()).isZero();
    }

    /**
     * Seeded random workloads: evicting after every step must not change a single
     * decision.
     */
    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L, 42L, 20240607L);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void evictionIsIndistinguishableFromKeepingEveryBucket(long seed) {
        BucketSpec awkwardRate = new BucketSpec(5, 3, Duration.ofNanos(1_000_000_007));
        ManualClock clock = new ManualClock(Long.MIN_VALUE + seed);
        KeyedBuckets<Integer> evicting = new KeyedBuckets<>(awkwardRate, 1_000, clock);
        KeyedBuckets<Integer> keeping = new KeyedBuckets<>(awkwardRate, 1_000, clock);
        SplittableRandom random = new SplittableRandom(seed);
        int evictions = 0;

        for (int step = 0; step < 5_000; step++) {
            clock.advance(random.nextLong(random.nextInt(10) == 0 ? 5_000_000_000L : 400_000_000L));
            int key = random.nextInt(6);
            long tokens = 1 + random.nextLong(5);

            assertThat(evicting.tryConsume(key, tokens)).as("step %d", step).isEqualTo(keeping.tryConsume(key, tokens));
            evictions += evicting.evictIdle();
        }
        assertThat(evictions).as("the workload must actually evict").isGreaterThan(100);
        assertThat(keeping.size()).isEqualTo(6);
    }

    @ParameterizedTest(name = "cap {0}, {1} ns into the current token period")
    @CsvSource({ "1, 0", "2, 1", "5, 99999999" })
    void newKeysAtTheCapShareTheOverflowBucketWhenNothingCanBeEvicted(int maxKeys, long intoTokenPeriod) {
        ManualClock clock = new ManualClock(0);
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, maxKeys, clock);
        for (int i = 0; i < maxKeys; i++) {
            buckets.tryConsume("known-" + i, 1); // none of these is full, so none can go
        }
        clock.advance(intoTokenPeriod);

        assertThat(buckets.tryConsume("stranger", 1)).isEqualTo(new ConsumptionProbe(true, 9, 0));
        // the overflow bucket is shared: what one new key took, the next one does not
        // find
        assertThat(buckets.tryConsume("another-stranger", 10)).isEqualTo(new ConsumptionProbe(false, 9, TOKEN_NANOS));
        assertThat(buckets.overflowDecisions()).isEqualTo(2);
        assertThat(buckets.size()).isEqualTo(maxKeys);
        // known keys keep their own allowance
        assertThat(buckets.tryConsume("known-0", 9)).isEqualTo(new ConsumptionProbe(true, 0, 0));
    }

    @Test
    void aNewKeyAtTheCapEvictsAFullBucketInsteadOfSpendingFromTheOverflow() {
        ManualClock clock = new ManualClock(0);
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 2, clock);
        buckets.tryConsume("a", 1);
        buckets.tryConsume("b", 5);
        clock.advance(TOKEN_NANOS); // a is full again, b is not

        assertThat(buckets.tryConsume("c", 10)).isEqualTo(new ConsumptionProbe(true, 0, 0));

        assertThat(buckets.size()).isEqualTo(2);
        assertThat(buckets.overflowDecisions()).isZero();
        // b kept its state: 5 left + 1 refilled
        assertThat(buckets.tryConsume("b", 6).consumed()).isTrue();
        assertThat(buckets.tryConsume("b", 1).consumed()).isFalse();
    }

    @Test
    void aKeyServedByTheOverflowGetsItsOwnBucketOnceAKnownBucketHasRefilled() {
        ManualClock clock = new ManualClock(0);
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 1, clock);
        buckets.tryConsume("a", 3);

        // the overflow's
        assertThat(buckets.tryConsume("b", 4)).isEqualTo(new ConsumptionProbe(true, 6, 0));
        clock.advance(2 * TOKEN_NANOS);
        // still the overflow's
        assertThat(buckets.tryConsume("b", 1)).isEqualTo(new ConsumptionProbe(true, 7, 0));
        clock.advance(TOKEN_NANOS); // a has now refilled to full and can go

        // b's own, full
        assertThat(buckets.tryConsume("b", 1)).isEqualTo(new ConsumptionProbe(true, 9, 0));
        assertThat(buckets.size()).isEqualTo(1);
        assertThat(buckets.overflowDecisions()).isEqualTo(2);
    }

    /**
     * A flood of new keys fills the registry at one instant. Clients it already knew keep
     * their exact allowance; a new client shares the overflow bucket (refused for at most
     * one token interval while the flood has drained it), and gets a bucket of its own as
     * soon as the flood's buckets have refilled.
     */
    @ParameterizedTest(name = "cap {0}, a flood of {1} new keys")
    @CsvSource({ "2, 50", "3, 1", "10, 1000", "100, 10000" })
    void aFloodOfNewKeysLocksNobodyOut(int maxKeys, int flood) {
        // wraps mid-test
        ManualClock clock = new ManualClock(Long.MAX_VALUE - TOKEN_NANOS / 2);
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, maxKeys, clock);
        assertThat(buckets.tryConsume("alice", 5).consumed()).isTrue();
        assertThat(buckets.tryConsume("bob", 10).consumed()).isTrue();

        long floodGranted = IntStream.range(0, flood)
            .filter(i -> buckets.tryConsume("flood-" + i, 1).consumed())
            .count();

        int ownSlots = Math.min(flood, maxKeys - 2);
        long fromOverflow = Math.min(flood - ownSlots, 10);
        assertThat(floodGranted).isEqualTo(ownSlots + fromOverflow);
        assertThat(buckets.size()).isEqualTo(maxKeys);
        ConsumptionProbe carolDuringTheFlood = buckets.tryConsume("carol", 1);
        if (fromOverflow == 10) {
            assertThat(carolDuringTheFlood).isEqualTo(new ConsumptionProbe(false, 0, TOKEN_NANOS));
        }
        else {
            assertThat(carolDuringTheFlood.consumed()).isTrue();
        }
        assertThat(buckets.tryConsume("alice", 5)).isEqualTo(new ConsumptionProbe(true, 0, 0));
        assertThat(buckets.tryConsume("bob", 1).consumed()).isFalse();

        clock.advance(TOKEN_NANOS); // every flood bucket is full again

        // her own bucket if the flood got any (they can go now), else the overflow
        // bucket, refilled by a token
        assertThat(buckets.tryConsume("carol", 1)).isEqualTo(new ConsumptionProbe(true, ownSlots > 0 ? 9 : 0, 0));
        // one refilled
        assertThat(buckets.tryConsume("alice", 1)).isEqualTo(new ConsumptionProbe(true, 0, 0));
        assertThat(buckets.tryConsume("bob", 1)).isEqualTo(new ConsumptionProbe(true, 0, 0));
    }

    @ParameterizedTest
    @CsvSource({ "0, at least 1 token", "11, can never be satisfied" })
    void rejectsRequestsThatCanNeverBeSatisfiedEvenForRefusedKeys(long tokens, String reason) {
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 1, new ManualClock(0));
        buckets.tryConsume("a", 1);

        assertThatIllegalArgumentException().isThrownBy(() -> buckets.tryConsume("a", tokens))
            .withMessageContaining(reason);
        assertThatIllegalArgumentException().isThrownBy(() -> buckets.tryConsume("refused", tokens))
            .withMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, -1 })
    void rejectsANonPositiveCap(int maxKeys) {
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new KeyedBuckets<>(TEN_PER_SECOND, maxKeys, new ManualClock(0)))
            .withMessageContaining("maxKeys must be at least 1");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCapHoldsWhenManyThreadsAddKeysAtOnce() throws InterruptedException {
        KeyedBuckets<Integer> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 64, new ManualClock(0));
        List<Runnable> tasks = new ArrayList<>();
        for (int thread = 0; thread < 8; thread++) {
            int offset = thread * 1_000;
            tasks.add(() -> IntStream.range(offset, offset + 1_000).forEach(key -> {
                buckets.tryConsume(key, 1);
                assertThat(buckets.size()).isLessThanOrEqualTo(64);
            }));
        }

        Concurrently.run(tasks);

        assertThat(buckets.size()).isEqualTo(64);
        assertThat(buckets.overflowDecisions()).isEqualTo(8 * 1_000 - 64);
    }

    /**
     * Replays the dangerous interleaving exactly: a request holds a full bucket while a
     * sweep evicts it.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aConsumptionRacingTheEvictionOfItsBucketMovesToTheFreshBucket() throws InterruptedException {
        ManualClock time = new ManualClock(0);
        PausingClock clock = new PausingClock(time);
        KeyedBuckets<String> buckets = new KeyedBuckets<>(TEN_PER_SECOND, 10, clock);
        buckets.tryConsume("k", 1);
        time.advance(TOKEN_NANOS); // k's bucket exists and is full again
        AtomicReference<ConsumptionProbe> racingProbe = new AtomicReference<>();
        Thread racer = new Thread(() -> racingProbe.set(buckets.tryConsume("k", 10)));

        clock.pauseNextReadingBy(racer);
        racer.start();
        clock.awaitPaused(); // racer has loaded the full state, not yet CASed
        assertThat(buckets.evictIdle()).isEqualTo(1);
        clock.resume();
        racer.join();

        assertThat(racingProbe.get()).isEqualTo(new ConsumptionProbe(true, 0, 0));
        // the 10 tokens came out of the bucket now serving k, not out of an orphan:
        // nothing is left
        assertThat(buckets.tryConsume("k", 1).consumed()).isFalse();
        assertThat(buckets.size()).isEqualTo(1);
    }

    /**
     * Consumers race a sweeper that evicts continuously while the clock advances only
     * when the new tokens fit, so nothing spills and the supply is exact: every key must
     * get exactly its allowance, no more, no less.
     */
    @ParameterizedTest
    @ValueSource(ints = { 1, 3 })
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void evictionRacingConsumptionGrantsExactlyTheAllowance(int keys) throws InterruptedException {
        long capacity = 3;
        ManualClock clock = new ManualClock(Long.MAX_VALUE - 10_000);
        KeyedBuckets<Integer> buckets = new KeyedBuckets<>(new BucketSpec(capacity, 1, Duration.ofNanos(1_000)),
                keys + 16, clock); // cap out of reach
        int steps = 20_000;
        AtomicBoolean clockDone = new AtomicBoolean();
        AtomicLongArray grantedPerKey = new AtomicLongArray(keys);
        IntPredicate roomForOneMore = key -> buckets.bucketFor(key).availableTokens() < capacity;

        List<Runnable> tasks = new ArrayList<>();
        tasks.add(() -> {
            try {
                for (int step = 0; step < steps; step++) {
                    while (!IntStream.range(0, keys).allMatch(roomForOneMore)) {
                        Thread.onSpinWait();
                    }
                    clock.advance(1_000); // exactly one token per key
                }
            }
            finally {
                clockDone.set(true); // even on failure, so the others stop
            }
        });
        tasks.add(() -> {
            while (!clockDone.get()) {
                buckets.evictIdle();
            }
        });
        for (int consumer = 0; consumer < 6; consumer++) {
            int firstKey = consumer % keys;
            tasks.add(() -> {
                for (int i = 0; !(clockDone.get() && drained(buckets, keys)); i++) {
                    int key = (firstKey + i) % keys;
                    if (buckets.tryConsume(key, 1).consumed()) {
                        grantedPerKey.incrementAndGet(key);
                    }
                }
            });
        }
        Concurrently.run(tasks);

        for (int key = 0; key < keys; key++) {
            assertThat(grantedPerKey.get(key)).as("key %d", key).isEqualTo(capacity + steps);
        }
        assertThat(buckets.size()).isLessThanOrEqualTo(keys);
    }

    private static boolean drained(KeyedBuckets<Integer> buckets, int keys) {
        return IntStream.range(0, keys).allMatch(key -> buckets.bucketFor(key).availableTokens() == 0);
    }

}
