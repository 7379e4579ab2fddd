package ratelimit.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import ratelimit.core.BucketSpec;
import ratelimit.core.ConsumptionProbe;
import ratelimit.core.TokenLeases;

/**
 * Token buckets kept in Redis and shared by every instance: one atomic Lua script per
 * decision (EVALSHA, so one round trip), timed by Redis's own clock so instances' clocks
 * never disagree. A key lives exactly as long as its bucket takes to refill; an idle
 * bucket vanishes.
 * <p>
 * Same exactness as the local bucket: every decision is a textbook bucket's (refill is
 * exact for any rate, and lost while full), so over any window of length w it grants at
 * most capacity + floor(rate x w), with w measured on Redis's clock, whose grain is a
 * microsecond.
 */
public final class RedisTokenBuckets {

    /** Lua numbers are doubles: integers are exact only below this. */
    private static final long EXACT_IN_LUA = 1L << 53;

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SCRIPT = RedisScript.of(scriptText("ratelimit/token-bucket.lua"),
            List.class);

    private final StringRedisTemplate redis;

    private final String keyPrefix;

    public RedisTokenBuckets(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    /**
     * Refuses a spec the script cannot compute exactly, at configuration time rather than
     * per request: the script's largest value, capacity x stepNanos + 1000 x
     * tokensPerStep (the rate in lowest terms), must stay below 2^53; and a period
     * shorter than Redis's clock can tell apart makes no sense on that clock.
     */
    public void requireSupported(BucketSpec spec) {
        if (spec.refillPeriodNanos() < 1_000) {
            throw new IllegalArgumentException(
                    "A Redis bucket needs a refill period of at least 1 microsecond (Redis's clock has no finer grain): "
                            + spec);
        }
        if (Math.multiplyHigh(spec.capacity(), spec.stepNanos()) != 0
                || spec.capacity() * spec.stepNanos() >= EXACT_IN_LUA - 1_000 * spec.tokensPerStep()) {
            throw new IllegalArgumentException(
                    "A Redis bucket needs capacity x refill period / gcd(refill tokens, period in ns) below 2^53: "
                            + spec);
        }
    }

    public ConsumptionProbe tryConsume(String key, BucketSpec spec, long tokens) {
        return probe(take(key, spec, tokens, tokens, List.of()));
    }

    /**
     * Takes as many tokens as the bucket holds up to {@code most}, or none if it holds
     * fewer than {@code least}: one round trip for a lease an instance then spends by
     * itself.
     */
    public TokenLeases.Lease lease(String key, BucketSpec spec, long least, long most) {
        return take(key, spec, least, most, List.of());
    }

    /**
     * As {@link #tryConsume}, at {@code nowMicros} instead of Redis's TIME: for tests
     * that replay exact schedules.
     */
    ConsumptionProbe tryConsumeAt(String key, BucketSpec spec, long tokens, long nowMicros) {
        return probe(take(key, spec, tokens, tokens, List.of(Long.toString(nowMicros))));
    }

    /** As {@link #lease}, at {@code nowMicros} instead of Redis's TIME. */
    TokenLeases.Lease leaseAt(String key, BucketSpec spec, long least, long most, long nowMicros) {
        return take(key, spec, least, most, List.of(Long.toString(nowMicros)));
    }

    private static ConsumptionProbe probe(TokenLeases.Lease taken) {
        boolean consumed = taken.granted() > 0;
        return new ConsumptionProbe(consumed, taken.remaining(), taken.nanosToWait());
    }

    private TokenLeases.Lease take(String key, BucketSpec spec, long least, long most, List<String> clock) {
        if (least < 1 || least > most || most > spec.capacity()) {
            throw new IllegalArgumentException(
                    "Can only take between 1 and " + spec.capacity() + " tokens, not " + least + " to " + most);
        }
        String[] args = new String[5 + clock.size()];
        args[0] = Long.toString(spec.capacity());
        args[1] = Long.toString(spec.tokensPerStep());
        args[2] = Long.toString(spec.stepNanos());
        args[3] = Long.toString(least);
        args[4] = Long.toString(most);
        for (int i = 0; i < clock.size(); i++) {
            args[5 + i] = clock.get(i);
        }
        List<?> reply = redis.execute(SCRIPT, List.of(keyPrefix + key), (Object[]) args);
        long granted = ((Number) reply.get(0)).longValue();
        long remaining = ((Number) reply.get(1)).longValue();
        long waitMicros = ((Number) reply.get(2)).longValue();
        return new TokenLeases.Lease(granted, remaining, granted > 0 ? 0 : Math.max(1, waitMicros) * 1_000);
    }

    /**
     * The script as text, read once through this class's loader: a script on a class-path
     * resource would check the resource's modification time on every decision, through
     * the context class loader of whichever thread first built it.
     */
    private static String scriptText(String path) {
        try {
            return new ClassPathResource(path, RedisTokenBuckets.class.getClassLoader())
                .getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
