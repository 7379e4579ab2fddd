package ratelimit.core;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.github.bucket4j.Bucket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Our lock-free buckets next to {@link SynchronizedTokenBucket}, the lock-based bucket people write first, and
 * next to Bucket4j, the library we chose not to use, in the same run: every case exists once for each, at 1 and 2 threads. Run by {@code bench/limiter.sh}; the
 * numbers and their reading are in {@code docs/benchmarks.md}.
 *
 * <p>The timing below is the short run the script uses (about 17 s per benchmark, 5 minutes for all 18); JMH
 * command-line options override it. Three warm-up iterations because C2 often settles only in the second;
 * five measured ones because JMH's 99.9% error over three samples is about 30 standard errors wide.
 *
 * <p>Every method returns its decision so that JMH consumes it. Ours comes twice: {@code ours} calls
 * {@code tryTake}, the yes-or-no decision that Bucket4j's {@code tryConsume} also is (no token count, no wait,
 * so neither pays for divisions it does not need), {@code oursProbe} calls the convenience method that returns
 * a {@link ConsumptionProbe} with the count and the wait and reads {@code consumed()} from it, as a caller that
 * reads the fields right away would.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TokenBucketBenchmark {

    /** One token per nanosecond, the most a BucketSpec allows: more than callers can take, so every call consumes. */
    static final BucketSpec ALWAYS_TOKENS = new BucketSpec(1_000_000, 1_000_000_000, Duration.ofSeconds(1));

    /** 1,000 tokens a second against millions of calls: after the first 100, almost every call is rejected. */
    static final BucketSpec MOSTLY_EMPTY = new BucketSpec(100, 1_000, Duration.ofSeconds(1));

    static final int KEYS = 10_000;

    @State(Scope.Benchmark)
    public static class AlwaysTokens {
        final TokenBucket ours = new TokenBucket(ALWAYS_TOKENS, NanoClock.system());
        final SynchronizedTokenBucket baseline = new SynchronizedTokenBucket(ALWAYS_TOKENS);
        final Bucket bucket4j = bucket4j(ALWAYS_TOKENS);
    }

    @State(Scope.Benchmark)
    public static class MostlyEmpty {
        final TokenBucket ours = new TokenBucket(MOSTLY_EMPTY, NanoClock.system());
        final SynchronizedTokenBucket baseline = new SynchronizedTokenBucket(MOSTLY_EMPTY);
        final Bucket bucket4j = bucket4j(MOSTLY_EMPTY);
    }

    /**
     * Bucket4j's in-memory bucket with its default, lock-free synchronisation and a greedy (smooth) refill, like
     * ours. Its default clock is {@code System.currentTimeMillis()}; nanosecond precision gives it the clock ours
     * reads, so the comparison is of the buckets, not of the clocks.
     */
    static Bucket bucket4j(BucketSpec spec) {
        return Bucket.builder()
            .addLimit(limit -> limit.capacity(spec.capacity()).refillGreedy(spec.refillTokens(), Duration.ofNanos(spec.refillPeriodNanos())))
            .withNanosecondPrecision()
            .build();
    }

    /** 10k client keys sharing one registry; each call consumes, so this measures lookup plus a successful take. */
    @State(Scope.Benchmark)
    public static class ManyKeys {
        // Twice the keys, so the cap and its eviction sweep never enter the measurement.
        final KeyedBuckets<String> ours = new KeyedBuckets<>(ALWAYS_TOKENS, 2 * KEYS, NanoClock.system());
        final ConcurrentHashMap<String, SynchronizedTokenBucket> baseline = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, Bucket> bucket4j = new ConcurrentHashMap<>();
        String[] keys;

        @Setup
        public void shuffleKeys() {
            // Shuffled, so that consecutive calls land on scattered buckets as real traffic would, not on
            // neighbours in memory.
            List<String> ordered = IntStream.range(0, KEYS).mapToObj(i -> "client-" + i).collect(Collectors.toList());
            Collections.shuffle(ordered, new Random(42));
            keys = ordered.toArray(String[]::new);
        }

        SynchronizedTokenBucket baselineBucketFor(String key) {
            return baseline.computeIfAbsent(key, k -> new SynchronizedTokenBucket(ALWAYS_TOKENS));
        }

        Bucket bucket4jFor(String key) {
            return bucket4j.computeIfAbsent(key, k -> bucket4j(ALWAYS_TOKENS));
        }
    }

    /**
     * Each thread walks the whole key list from its own random start: two threads rarely hit the same key at
     * once, yet every bucket is used by both over time, like a client whose requests land on any core.
     */
    @State(Scope.Thread)
    public static class KeyCursor {
        int next;

        @Setup
        public void startAnywhere() {
            next = ThreadLocalRandom.current().nextInt(KEYS);
        }

        String nextKey(String[] keys) {
            String key = keys[next];
            next = next + 1 == keys.length ? 0 : next + 1;
            return key;
        }
    }

    @Benchmark
    @Threads(1)
    public boolean alwaysTokens_ours_1thread(AlwaysTokens bucket) {
        return bucket.ours.tryTake(1);
    }

    @Benchmark
    @Threads(1)
    public boolean alwaysTokens_oursProbe_1thread(AlwaysTokens bucket) {
        return bucket.ours.tryConsume(1).consumed();
    }

    @Benchmark
    @Threads(1)
    public boolean alwaysTokens_synchronized_1thread(AlwaysTokens bucket) {
        return bucket.baseline.tryConsume(1);
    }

    @Benchmark
    @Threads(1)
    public boolean alwaysTokens_bucket4j_1thread(AlwaysTokens bucket) {
        return bucket.bucket4j.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean alwaysTokens_ours_2threads(AlwaysTokens bucket) {
        return bucket.ours.tryTake(1);
    }

    @Benchmark
    @Threads(2)
    public boolean alwaysTokens_oursProbe_2threads(AlwaysTokens bucket) {
        return bucket.ours.tryConsume(1).consumed();
    }

    @Benchmark
    @Threads(2)
    public boolean alwaysTokens_synchronized_2threads(AlwaysTokens bucket) {
        return bucket.baseline.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean alwaysTokens_bucket4j_2threads(AlwaysTokens bucket) {
        return bucket.bucket4j.tryConsume(1);
    }

    @Benchmark
    @Threads(1)
    public boolean mostlyEmpty_ours_1thread(MostlyEmpty bucket) {
        return bucket.ours.tryTake(1);
    }

    @Benchmark
    @Threads(1)
    public boolean mostlyEmpty_oursProbe_1thread(MostlyEmpty bucket) {
        return bucket.ours.tryConsume(1).consumed();
    }

    @Benchmark
    @Threads(1)
    public boolean mostlyEmpty_synchronized_1thread(MostlyEmpty bucket) {
        return bucket.baseline.tryConsume(1);
    }

    @Benchmark
    @Threads(1)
    public boolean mostlyEmpty_bucket4j_1thread(MostlyEmpty bucket) {
        return bucket.bucket4j.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean mostlyEmpty_ours_2threads(MostlyEmpty bucket) {
        return bucket.ours.tryTake(1);
    }

    @Benchmark
    @Threads(2)
    public boolean mostlyEmpty_oursProbe_2threads(MostlyEmpty bucket) {
        return bucket.ours.tryConsume(1).consumed();
    }

    @Benchmark
    @Threads(2)
    public boolean mostlyEmpty_synchronized_2threads(MostlyEmpty bucket) {
        return bucket.baseline.tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean mostlyEmpty_bucket4j_2threads(MostlyEmpty bucket) {
        return bucket.bucket4j.tryConsume(1);
    }

    @Benchmark
    @Threads(1)
    public boolean keyed10k_ours_1thread(ManyKeys registry, KeyCursor cursor) {
        return registry.ours.tryTake(cursor.nextKey(registry.keys), 1);
    }

    @Benchmark
    @Threads(1)
    public boolean keyed10k_oursProbe_1thread(ManyKeys registry, KeyCursor cursor) {
        return registry.ours.tryConsume(cursor.nextKey(registry.keys), 1).consumed();
    }

    @Benchmark
    @Threads(1)
    public boolean keyed10k_synchronized_1thread(ManyKeys registry, KeyCursor cursor) {
        return registry.baselineBucketFor(cursor.nextKey(registry.keys)).tryConsume(1);
    }

    @Benchmark
    @Threads(1)
    public boolean keyed10k_bucket4j_1thread(ManyKeys registry, KeyCursor cursor) {
        return registry.bucket4jFor(cursor.nextKey(registry.keys)).tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean keyed10k_ours_2threads(ManyKeys registry, KeyCursor cursor) {
        return registry.ours.tryTake(cursor.nextKey(registry.keys), 1);
    }

    @Benchmark
    @Threads(2)
    public boolean keyed10k_oursProbe_2threads(ManyKeys registry, KeyCursor cursor) {
        return registry.ours.tryConsume(cursor.nextKey(registry.keys), 1).consumed();
    }

    @Benchmark
    @Threads(2)
    public boolean keyed10k_synchronized_2threads(ManyKeys registry, KeyCursor cursor) {
        return registry.baselineBucketFor(cursor.nextKey(registry.keys)).tryConsume(1);
    }

    @Benchmark
    @Threads(2)
    public boolean keyed10k_bucket4j_2threads(ManyKeys registry, KeyCursor cursor) {
        return registry.bucket4jFor(cursor.nextKey(registry.keys)).tryConsume(1);
    }

    /**
     * The baseline: one lock around a token count and the time of the last refill, refilled lazily in whole
     * tokens. It keeps the fraction of a token the way a careful first version does (advancing the refill time
     * by the tokens added, not to now), so it is correct, just lock-based; and it answers only yes or no, where
     * ours also computes how long to wait.
     */
    static final class SynchronizedTokenBucket {
        private final long capacity;
        private final long nanosPerToken;
        private long tokens;
        private long lastRefillNanos;

        SynchronizedTokenBucket(BucketSpec spec) {
            this.capacity = spec.capacity();
            this.nanosPerToken = spec.refillPeriodNanos() / spec.refillTokens();
            this.tokens = capacity;
            this.lastRefillNanos = System.nanoTime();
        }

        synchronized boolean tryConsume(long requested) {
            long now = System.nanoTime();
            long newTokens = (now - lastRefillNanos) / nanosPerToken;
            if (newTokens > 0) {
                tokens = Math.min(capacity, tokens + newTokens);
                lastRefillNanos += newTokens * nanosPerToken;
            }
            if (tokens < requested) {
                return false;
            }
            tokens -= requested;
            return true;
        }
    }
}
