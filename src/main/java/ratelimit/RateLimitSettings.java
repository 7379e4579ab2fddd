package ratelimit;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of HoldUp ({@code quartet.ratelimit.*}).
 *
 * @param enabled whether the HTTP middleware applies the policies at all
 * @param maxKeys the most keys the local registry tracks at once; memory stays bounded beyond
 */
@Validated
@ConfigurationProperties("quartet.ratelimit")
record RateLimitSettings(
        @DefaultValue("true") boolean enabled,
        @Min(1) @DefaultValue("100000") int maxKeys) {
}
