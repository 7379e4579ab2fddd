package shortener.repository;

import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;
import shortener.ShortCode;

/**
 * The click-limit counters of limited links in Redis, shared by every instance: one
 * script call takes a click of the limit or says it is used up (take-click.lua). Redis
 * failures surface as Spring's DataAccessException.
 */
@Repository
public class ClickLimits {

    /** What taking a click found. */
    public enum Outcome {

        /** Taken: redirect. */
        TAKEN,
        /** The limit is used up: nothing taken. */
        EXHAUSTED,
        /** No counter in Redis yet: take again with the clicks counted in PostgreSQL. */
        SEED_NEEDED

    }

    private static final RedisScript<String> TAKE = LuaScripts.load("shortener/take-click.lua", String.class);

    private static final String NOT_READ = "-1";

    private final StringRedisTemplate redis;

    public ClickLimits(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * Takes one click of the link's limit.
     * @param countedClicks the clicks PostgreSQL counted for the link, or null when not
     * read yet
     * @param counterTtl how long the counter lives after this click
     */
    public Outcome take(ShortCode code, long limit, Long countedClicks, Duration counterTtl) {
        String reply = redis.execute(TAKE, List.of(counterKey(code)), Long.toString(limit),
                countedClicks == null ? NOT_READ : countedClicks.toString(),
                Long.toString(Math.max(1, counterTtl.toSeconds())));
        return switch (reply) {
            case "T" -> Outcome.TAKEN;
            case "X" -> Outcome.EXHAUSTED;
            case "S" -> Outcome.SEED_NEEDED;
            default -> throw new IllegalStateException("take-click.lua answered " + reply);
        };
    }

    /**
     * Forgets the link's counter, so a link created later with the same code starts
     * afresh.
     */
    public void forget(ShortCode code) {
        redis.delete(counterKey(code));
    }

    static String counterKey(ShortCode code) {
        return "quartet:shortener:clicks:count:" + code.value();
    }

}
