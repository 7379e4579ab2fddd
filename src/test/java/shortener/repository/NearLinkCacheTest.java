package shortener.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import shortener.ShortCode;
import shortener.domain.Link;
import shortener.domain.TargetUrl;

/**
 * When the near cache may answer from memory: in full while heartbeats prove the change
 * channel live and the entry was loaded since the last gap, else only while the entry is
 * young; and never with what a load read while an invalidation overtook it.
 */
class NearLinkCacheTest {

    private static final Duration SILENCE = Duration.ofMillis(800);

    private static final Duration UNCONFIRMED = Duration.ofMillis(500);

    private static final ShortCode CODE = ShortCode.of("abc1234");

    private static final Link LINK = new Link(CODE, new TargetUrl(URI.create("https://example.com/")), false,
            Instant.EPOCH, null, null, null, false);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private final NearLinkCache cache = new NearLinkCache(100, Duration.ofMinutes(5), Duration.ofSeconds(30), SILENCE,
            UNCONFIRMED, nanos::get);

    @Test
    void trustsAnEntryLoadedWhileTheChannelIsLiveForAsLongAsHeartbeatsArrive() {
        cache.heartbeat();
        load();
        for (int beat = 0; beat < 10; beat++) {
            advance(Duration.ofMillis(200));
            cache.heartbeat();
        }

        assertThat(cache.lookup(CODE)).isEqualTo(new NearLinkCache.Lookup(Optional.of(LINK)));
        assertThat(cache.isConfirmedLive()).isTrue();
    }

    @Test
    void distrustsEveryEntryOnceHeartbeatsFallSilent() {
        cache.heartbeat();
        load();
        advance(SILENCE.plusMillis(1));

        assertThat(cache.lookup(CODE)).isNull();
        assertThat(cache.isConfirmedLive()).isFalse();
    }

    @Test
    void keepsDistrustingAnEntryLoadedBeforeAGapWhenHeartbeatsResume() {
        cache.heartbeat();
        load();
        advance(SILENCE.plusMillis(1));
        cache.heartbeat();

        assertThat(cache.isConfirmedLive()).isTrue();
        assertThat(cache.lookup(CODE)).as("an invalidation may have been lost in the gap").isNull();
        load();
        advance(UNCONFIRMED.plusMillis(1));
        cache.heartbeat();
        assertThat(cache.lookup(CODE)).as("loaded after the gap").isNotNull();
    }

    @Test
    void distrustsEntriesLoadedBeforeAResubscription() {
        cache.heartbeat();
        load();
        advance(Duration.ofMillis(600));
        cache.heartbeat();
        cache.resubscribed();

        assertThat(cache.lookup(CODE)).isNull();
    }

    @Test
    void usesAnEntryOnlyWhileItIsYoungWhenNoHeartbeatWasEverHeard() {
        load();
        advance(UNCONFIRMED.minusMillis(1));
        assertThat(cache.lookup(CODE)).isNotNull();

        advance(Duration.ofMillis(2));
        assertThat(cache.lookup(CODE)).isNull();
    }

    @Test
    void forgetsAnInvalidatedEntry() {
        cache.heartbeat();
        load();

        cache.invalidate(CODE);

        assertThat(cache.lookup(CODE)).isNull();
    }

    @Test
    void dropsWhatALoadReadIfAnInvalidationOvertookIt() {
        cache.heartbeat();
        NearLinkCache.Ticket ticket = cache.ticket();
        // The load reads the old link; meanwhile the change commits and its invalidation
        // arrives.
        cache.invalidate(CODE);
        cache.put(CODE, Optional.of(LINK), ticket);

        assertThat(cache.lookup(CODE)).isNull();
    }

    @Test
    void remembersAnUnknownCode() {
        cache.heartbeat();
        cache.put(CODE, Optional.empty(), cache.ticket());

        assertThat(cache.lookup(CODE)).isEqualTo(new NearLinkCache.Lookup(Optional.empty()));
    }

    private void load() {
        cache.put(CODE, Optional.of(LINK), cache.ticket());
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

}
