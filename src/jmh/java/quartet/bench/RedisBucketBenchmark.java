package quartet.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import ratelimit.core.BucketSpec;
import ratelimit.redis.RedisTokenBuckets;

/**
 * Redis-backed token bucket decisions per second and Redis commands per decision, beside two baselines on the
 * same connection: a fixed-window counter written the usual way (INCR, then EXPIRE) and a bare PING. Redis
 * itself counts (INFO commandstats before and after). Every call here is synchronous, so each command a client
 * sends is one round trip; commandstats also counts the commands a Lua script runs inside Redis, so both
 * figures are reported: round trips (the commands the client sent) and all commands Redis executed.
 *
 * <p>Runs against a private redis-server on a free port when the binary is installed, so nobody else's
 * commands enter the count; otherwise against 127.0.0.1:6379 under its own key prefix, where the count is only
 * as clean as the machine is quiet.
 */
final class RedisBucketBenchmark {

    /** One measured case. */
    record Result(String name, double perSecond, double roundTripsPerDecision, double commandsPerDecision) {
    }

    private static final String PREFIX = "quartet-bench:";
    private static final int KEYS = 1_000;
    // Large enough never to refuse during the run, small enough for the script's exact arithmetic.
    private static final BucketSpec SPEC = new BucketSpec(100_000_000, 100_000_000, Duration.ofMinutes(1));

    private RedisBucketBenchmark() {
    }

    static List<Result> run(Duration each, int threads, Path log, StringBuilder where) throws Exception {
        Process privateServer = null;
        int port = 6379;
        try {
            try {
                port = App.freePort();
                privateServer = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(log.toFile()).start();
                where.append("a private `redis-server` started for the run on 127.0.0.1:").append(port);
            }
            catch (java.io.IOException e) {
                port = 6379;
                where.append("the machine's Redis on 127.0.0.1:6379 (no `redis-server` binary for a private one; counts may include other clients)");
            }
            LettuceConnectionFactory connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
            connections.afterPropertiesSet();
            connections.start();
            try {
                StringRedisTemplate redis = new StringRedisTemplate(connections);
                awaitPing(redis);
                where.append(", Redis ").append(info(redis, "server").getProperty("redis_version"));
                RedisTokenBuckets buckets = new RedisTokenBuckets(redis, PREFIX + "bucket:");
                buckets.requireSupported(SPEC);
                List<Result> results = new ArrayList<>();
                // Warm-up of all three, then the measurements.
                List<String> script = List.of("evalsha", "eval");
                measure("warm-up", redis, threads, each.dividedBy(2), script, n -> buckets.tryConsume("k" + (n % KEYS), SPEC, 1).consumed());
                results.add(measure("token bucket (Lua script by EVALSHA)", redis, threads, each, script,
                        n -> buckets.tryConsume("k" + (n % KEYS), SPEC, 1).consumed()));
                results.add(measure("baseline: fixed window, INCR + EXPIRE", redis, threads, each, List.of("incr", "expire", "pexpire"), n -> {
                    String key = PREFIX + "window:k" + (n % KEYS);
                    Long count = redis.opsForValue().increment(key);
                    redis.expire(key, Duration.ofMinutes(1));
                    return count != null && count <= Long.MAX_VALUE;
                }));
                results.add(measure("baseline: PING", redis, threads, each, List.of("ping"),
                        n -> "PONG".equals(redis.execute((RedisCallback<String>) connection -> connection.ping()))));
                redis.delete(redis.keys(PREFIX + "*"));
                return results;
            }
            finally {
                connections.destroy();
            }
        }
        finally {
            if (privateServer != null) {
                privateServer.destroy();
                privateServer.waitFor();
            }
        }
    }

    private interface Decision {
        boolean decide(long n);
    }

    private static Result measure(String name, StringRedisTemplate redis, int threads, Duration duration, List<String> sent,
            Decision decision) throws Exception {
        long before = commands(redis, null);
        long sentBefore = commands(redis, sent);
        LongAdder decisions = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long offset = t * 7_919L;
            Thread worker = new Thread(() -> {
                for (long n = offset; System.nanoTime() < end; n++) {
                    decision.decide(n);
                    decisions.increment();
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long sentCommands = commands(redis, sent) - sentBefore;
        long commands = commands(redis, null) - before;
        Result result = new Result(name, decisions.sum() / seconds, (double) sentCommands / decisions.sum(), (double) commands / decisions.sum());
        System.out.printf("  redis %s: %,.0f decisions/s, %.2f round trips and %.2f commands per decision%n", name, result.perSecond(),
                result.roundTripsPerDecision(), result.commandsPerDecision());
        return result;
    }

    /** Calls of the named commands, or of every command but the INFO calls that count them when {@code names} is null. */
    private static long commands(StringRedisTemplate redis, List<String> names) {
        Properties stats = info(redis, "commandstats");
        long calls = 0;
        for (String name : stats.stringPropertyNames()) {
            boolean counted = names == null ? name.startsWith("cmdstat_") && !name.equals("cmdstat_info")
                    : names.stream().anyMatch(command -> name.equals("cmdstat_" + command));
            if (counted) {
                String value = stats.getProperty(name);
                int from = value.indexOf("calls=") + "calls=".length();
                calls += Long.parseLong(value.substring(from, value.indexOf(',', from)));
            }
        }
        return calls;
    }

    private static Properties info(StringRedisTemplate redis, String section) {
        return redis.execute((RedisCallback<Properties>) connection -> connection.serverCommands().info(section));
    }

    private static void awaitPing(StringRedisTemplate redis) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                redis.execute((RedisCallback<String>) connection -> connection.ping());
                return;
            }
            catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
