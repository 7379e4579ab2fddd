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

/**
 * Token buckets kept in Redis and shared by every instance: one atomic Lua script per decision
 * (EVALSHA, so one round trip), timed by Redis's own clock so instances' clocks never disagree.
 * A key lives exactly as long as its bucket takes to refill; an idle bucket vanishes.
 * <p>
 * Same limits as the local bucket (never more than capacity plus what refilled), with
 * microsecond resolution: Redis's TIME has no finer grain.
 */
public final class RedisTokenBuckets {

    /** Lua numbers are doubles: integers are exact only below this. */
    private static final long EXACT_IN_LUA = 1L << 53;

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> SCRIPT = RedisScript.of(scriptText("ratelimit/token-bucket.lua"), List.class);

    private final StringRedisTemplate redis;
    private final String keyPrefix;

    public RedisTokenBuckets(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    /** Refuses a spec the script cannot compute exactly, at configuration time rather than per request. */
    public void requireSupported(BucketSpec spec) {
        long periodMicros = periodMicros(spec);
        if (periodMicros < 1 || Math.multiplyHigh(spec.capacity(), periodMicros) != 0
                || spec.capacity() * periodMicros + spec.refillTokens() >= EXACT_IN_LUA) {
            throw new IllegalArgumentException("A Redis bucket needs capacity x refill period (in microseconds) below 2^53 and a period of at least 1 microsecond: "
                    + spec);
        }
    }

    public ConsumptionProbe tryConsume(String key, BucketSpec spec, long tokens) {
        if (tokens < 1 || tokens > spec.capacity()) {
            throw new IllegalArgumentException("Can only take between 1 and " + spec.capacity() + " tokens, not " + tokens);
        }
        List<?> reply = redis.execute(SCRIPT, List.of(keyPrefix + key), Long.toString(spec.capacity()),
                Long.toString(spec.refillTokens()), Long.toString(periodMicros(spec)), Long.toString(tokens));
        boolean consumed = ((Number) reply.get(0)).longValue() == 1;
        long remaining = ((Number) reply.get(1)).longValue();
        long waitMicros = ((Number) reply.get(2)).longValue();
        return new ConsumptionProbe(consumed, remaining, consumed ? 0 : Math.max(1, waitMicros) * 1_000);
    }

    private static long periodMicros(BucketSpec spec) {
        return spec.refillPeriodNanos() / 1_000;
    }

    /**
     * The script as text, read once through this class's loader: a script on a class-path
     * resource would check the resource's modification time on every decision, through the
     * context class loader of whichever thread first built it.
     */
    private static String scriptText(String path) {
        try {
            return new ClassPathResource(path, RedisTokenBuckets.class.getClassLoader()).getContentAsString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
