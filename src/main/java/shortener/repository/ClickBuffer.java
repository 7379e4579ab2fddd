package shortener.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Repository;
import shortener.ClicksRecorded.Click;

/**
 * Clicks that versions before the near cache buffered in Redis, and the batches a flush
 * claimed from that buffer but did not acknowledge. Redirects no longer write here (each
 * instance counts its clicks in memory); the flush still drains what an older instance
 * left, once, so a rolling upgrade loses no click. Redis failures surface as Spring's
 * DataAccessException.
 */
@Repository
public class ClickBuffer {

    private static final String PREFIX = "quartet:shortener:clicks:";
    static final String PENDING = PREFIX + "pending";

    private static final String CLAIMED = PREFIX + "claimed";

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CLAIM = LuaScripts.load("shortener/claim-clicks.lua", List.class);

    private final StringRedisTemplate redis;

    public ClickBuffer(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * Moves up to {@code max} pending clicks into a new batch; an empty list when none
     * were pending.
     */
    @SuppressWarnings("unchecked")
    public List<Click> claim(UUID batch, int max, Instant now) {
        List<String> encoded = redis.execute(CLAIM, List.of(PENDING, batchKey(batch), CLAIMED), String.valueOf(max),
                String.valueOf(now.toEpochMilli()), batch.toString());
        return encoded.stream().map(ClickCodec::decode).toList();
    }

    /** Batches claimed before the cutoff and never acknowledged: their flush died. */
    public List<UUID> claimedBefore(Instant cutoff, int max) {
        var batches = redis.opsForZSet().rangeByScore(CLAIMED, Double.NEGATIVE_INFINITY, cutoff.toEpochMilli(), 0, max);
        return batches == null ? List.of() : batches.stream().map(UUID::fromString).toList();
    }

    /**
     * Marks a batch as claimed now, so other instances leave it alone while this one
     * retries it.
     */
    public void reclaim(UUID batch, Instant now) {
        redis.opsForZSet().add(CLAIMED, batch.toString(), now.toEpochMilli());
    }

    public List<Click> clicksOf(UUID batch) {
        List<String> encoded = redis.opsForList().range(batchKey(batch), 0, -1);
        return encoded == null ? List.of() : encoded.stream().map(ClickCodec::decode).toList();
    }

    /** Drops a batch that is counted in PostgreSQL. */
    public void acknowledge(UUID batch) {
        redis.delete(batchKey(batch));
        redis.opsForZSet().remove(CLAIMED, batch.toString());
    }

    private static String batchKey(UUID batch) {
        return PREFIX + "batch:" + batch;
    }

}
