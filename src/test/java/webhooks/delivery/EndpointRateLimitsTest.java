package webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.unit.DataSize;
import ratelimit.RateLimitDecision;
import ratelimit.RateLimiter;
import webhooks.WebhooksSettings;
import webhooks.endpoint.DeliveryTarget;

/**
 * How an endpoint's rate becomes tokens of the shared policy, and a decision becomes a
 * delay.
 */
class EndpointRateLimitsTest {

    private final List<String> asked = new ArrayList<>();

    @ParameterizedTest(name = "{0} per second costs {1} tokens")
    @CsvSource({ "1, 1000", "2, 500", "3, 334", "7, 143", "100, 10", "999, 2", "1000, 1" })
    void spendsATokenShareThatMatchesTheRate(int perSecond, long tokens) {
        assertThat(EndpointRateLimits.tokensPerDelivery(perSecond)).isEqualTo(tokens);
        // Never faster than asked: the policy's 1000 tokens a second buy at most
        // perSecond deliveries.
        assertThat(1000 / tokens).isLessThanOrEqualTo(perSecond);
    }

    @Test
    void asksThePolicyWithTheEndpointsOwnRateKeyedByEndpoint() {
        EndpointRateLimits limits = new EndpointRateLimits(limiter(true, Duration.ZERO), settings(100));
        DeliveryTarget target = target(4);

        assertThat(limits.delayFor(target)).isEmpty();
        assertThat(asked).containsExactly("webhooks-outbound/" + target.endpointId() + "/250");
    }

    @Test
    void fallsBackToTheDefaultRateAndPostponesByTheLimitersWait() {
        EndpointRateLimits limits = new EndpointRateLimits(limiter(false, Duration.ofMillis(480)), settings(50));
        DeliveryTarget target = target(null);

        assertThat(limits.delayFor(target)).hasValue(Duration.ofMillis(480));
        assertThat(asked).containsExactly("webhooks-outbound/" + target.endpointId() + "/20");
    }

    @Test
    void neverPostponesByLessThanAMillisecond() {
        assertThat(new EndpointRateLimits(limiter(false, Duration.ofNanos(10)), settings(50)).delayFor(target(null)))
            .hasValue(Duration.ofMillis(1));
    }

    @Test
    void doesNotAskWhenTheDefaultIsUnlimitedAndTheEndpointSetsNoRate() {
        assertThat(new EndpointRateLimits(limiter(false, Duration.ofSeconds(1)), settings(0)).delayFor(target(null)))
            .isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    void sendsUnlimitedRatherThanStallingWhenThePolicyIsMissing() {
        RateLimiter missing = (policy, key, tokens) -> {
            throw new IllegalArgumentException("No rate limit policy named " + policy);
        };

        assertThat(new EndpointRateLimits(missing, settings(50)).delayFor(target(null))).isEmpty();
    }

    private RateLimiter limiter(boolean allowed, Duration wait) {
        return (policy, key, tokens) -> {
            asked.add(policy + "/" + key + "/" + tokens);
            return new RateLimitDecision(allowed, policy, 1000, 1, 0, wait, wait);
        };
    }

    private static DeliveryTarget target(Integer perSecond) {
        return new DeliveryTarget(UUID.randomUUID(), URI.create("https://example.com/hook"), "whsec_AAAA", null, true,
                perSecond);
    }

    private static WebhooksSettings settings(int defaultPerSecond) {
        return new WebhooksSettings(DataSize.ofKilobytes(256), Duration.ofSeconds(5), Duration.ofSeconds(15), 8,
                List.of(), Duration.ofMinutes(30), Duration.ofHours(24), 16, 4, Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofHours(24), 20, Duration.ofHours(24),
                defaultPerSecond, "webhooks-outbound", Duration.ofDays(30), Duration.ofHours(1), 0.5, 50);
    }

}
