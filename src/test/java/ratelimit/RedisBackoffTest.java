package ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The breaker's states on an injected clock, including one that wraps. */
class RedisBackoffTest {

    @ParameterizedTest(name = "clock starts at {0}")
    @ValueSource(longs = { 0, -1, Long.MAX_VALUE - 2_000, Long.MIN_VALUE })
    void callsRedisWhileClosedThenOncePerPeriodUntilACallSucceeds(long start) {
        AtomicLong now = new AtomicLong(start);
        RedisBackoff backoff = new RedisBackoff(Duration.ofNanos(5_000), now::get);

        assertThat(backoff.mayCall()).isTrue();
        assertThat(backoff.succeeded()).as("closed already: nothing to report").isFalse();

        assertThat(backoff.failed()).as("the first failure opens it").isTrue();
        assertThat(backoff.failed()).as("a second failure reports nothing new").isFalse();
        now.addAndGet(4_999);
        assertThat(backoff.mayCall()).isFalse();

        now.addAndGet(1);
        assertThat(backoff.mayCall()).as("the probe").isTrue();
        assertThat(backoff.mayCall()).as("only one caller probes").isFalse();
        backoff.failed();
        now.addAndGet(4_999);
        assertThat(backoff.mayCall()).isFalse();
        now.addAndGet(1);
        assertThat(backoff.mayCall()).isTrue();

        assertThat(backoff.succeeded()).as("the probe's success closes it").isTrue();
        assertThat(backoff.mayCall()).isTrue();
        assertThat(backoff.mayCall()).isTrue();
    }

}
