package shortener.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static shortener.ShortenerHttp.uniqueAlias;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;
import shortener.ShortCode;
import shortener.ShortenerTest;
import shortener.repository.ClickLimits.Outcome;

/** take-click.lua against the real Redis: the exact, shared click limit. */
@ShortenerTest
class ClickLimitsTests {

    private static final Duration COUNTER_TTL = Duration.ofMinutes(5);

    @Autowired
    ClickLimits limits;

    @Autowired
    StringRedisTemplate redis;

    @Test
    void seedsAMissingCounterFromTheClicksCountedInPostgresqlAndStopsAtTheLimit() {
        ShortCode code = ShortCode.of(uniqueAlias());

        assertThat(limits.take(code, 3, null, COUNTER_TTL)).isEqualTo(Outcome.SEED_NEEDED);
        assertThat(limits.take(code, 3, 2L, COUNTER_TTL)).isEqualTo(Outcome.TAKEN);
        // The counter now exists: a stale seed does not reset it.
        assertThat(limits.take(code, 3, 0L, COUNTER_TTL)).isEqualTo(Outcome.EXHAUSTED);
        assertThat(redis.opsForValue().get(ClickLimits.counterKey(code))).isEqualTo("3");
        assertThat(redis.getExpire(ClickLimits.counterKey(code))).isBetween(1L, COUNTER_TTL.toSeconds());
    }

    @Test
    void takesExactlyTheLimitUnderConcurrency() throws Exception {
        ShortCode code = ShortCode.of(uniqueAlias());
        limits.take(code, 10, 0L, COUNTER_TTL);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Outcome>> takes = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                takes.add(CompletableFuture.supplyAsync(() -> limits.take(code, 10, 0L, COUNTER_TTL), threads));
            }
            List<Outcome> outcomes = takes.stream().map(CompletableFuture::join).toList();

            assertThat(outcomes).filteredOn(Outcome.TAKEN::equals).hasSize(9);
            assertThat(outcomes).filteredOn(Outcome.EXHAUSTED::equals).hasSize(31);
        }
        finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aRaisedLimitTakesAgainAndALoweredOneStops() {
        ShortCode code = ShortCode.of(uniqueAlias());
        limits.take(code, 2, 1L, COUNTER_TTL);

        assertThat(limits.take(code, 2, null, COUNTER_TTL)).isEqualTo(Outcome.EXHAUSTED);
        assertThat(limits.take(code, 3, null, COUNTER_TTL)).isEqualTo(Outcome.TAKEN);
        assertThat(limits.take(code, 1, null, COUNTER_TTL)).isEqualTo(Outcome.EXHAUSTED);
    }

    @Test
    void forgetsTheCounter() {
        ShortCode code = ShortCode.of(uniqueAlias());
        limits.take(code, 5, 4L, COUNTER_TTL);

        limits.forget(code);

        assertThat(limits.take(code, 5, null, COUNTER_TTL)).isEqualTo(Outcome.SEED_NEEDED);
    }

}
