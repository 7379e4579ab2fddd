package ratelimit.core;

import java.time.Duration;
import kotlin.Unit;
import kotlin.reflect.KFunction;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.lincheck.datastructures.DSLThreadScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Eviction racing consumption must be invisible: whatever the interleaving, every probe
 * matches a sequential order in which evictions happen between calls. The clock is frozen
 * (see TokenBucketLincheckTest for why).
 *
 * <p>
 * Besides random scenarios, Lincheck explores the interleavings of the known dangerous
 * shape: a request that holds a full bucket while a sweep evicts it (random generation
 * alone did not reliably produce it; with the retire step removed from eviction this
 * scenario fails in seconds).
 *
 * <p>
 * The cap (4) is out of reach for 2 keys and 2 threads on purpose. At the cap a new key
 * spends from a shared overflow bucket, and a key can then spend from both the overflow
 * bucket and, later, its own: not linearizable against per-key buckets by design, with
 * the excess bounded by what the overflow bucket grants (see KeyedBuckets and
 * KeyedBucketsTest).
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "tokens", gen = LongGen.class, conf = "1:2")
public class KeyedBucketsLincheckTest {

    private final KeyedBuckets<Integer> buckets = new KeyedBuckets<>(new BucketSpec(2, 1, Duration.ofSeconds(1)), 4,
            new ManualClock(-7));

    @Operation
    public ConsumptionProbe tryConsume(@Param(name = "key") int key, @Param(name = "tokens") long tokens) {
        return buckets.tryConsume(key, tokens);
    }

    @Operation
    public void evictIdle() {
        // its count is not compared: a sweep is not atomic across keys, nor meant to be
        buckets.evictIdle();
    }

    @Test
    void randomScenariosAreLinearizable() {
        new ModelCheckingOptions().iterations(10)
            .invocationsPerIteration(200)
            .threads(2)
            .actorsPerThread(3)
            .check(getClass());
    }

    @Test
    void consumptionRacingTheEvictionOfItsBucketIsLinearizable() throws NoSuchMethodException {
        KFunction<?> consume = ReflectJvmMapping
            .getKotlinFunction(getClass().getMethod("tryConsume", int.class, long.class));
        KFunction<?> evict = ReflectJvmMapping.getKotlinFunction(getClass().getMethod("evictIdle"));
        // only the custom scenario, explored thoroughly
        new ModelCheckingOptions().iterations(0).invocationsPerIteration(2_000).addCustomScenario(scenario -> {
            scenario.parallel(parallel -> {
                parallel.thread(thread -> actors(thread, () -> {
                    thread.actor(consume, 0, 2L);
                    thread.actor(consume, 0, 1L);
                }));
                parallel.thread(thread -> actors(thread, () -> thread.actor(evict)));
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        }).check(getClass());
    }

    private static Unit actors(DSLThreadScenario thread, Runnable addActors) {
        addActors.run();
        return Unit.INSTANCE;
    }

}
