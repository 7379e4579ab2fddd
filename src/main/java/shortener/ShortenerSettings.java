package shortener;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the URL shortener ({@code quartet.shortener.*}).
 *
 * @param baseUrl the public origin short links are served from; targets pointing back at it
 *        are refused (no redirect loops)
 * @param codeLength length of generated codes
 * @param permanentRedirects answer 301 instead of 302 by default
 * @param unknownCodeCacheTtl how long an unknown code is remembered in Redis, so scans cannot
 *        hammer the database
 */
@Validated
@ConfigurationProperties("quartet.shortener")
record ShortenerSettings(
        @NotNull @DefaultValue("http://localhost:8080") URI baseUrl,
        @Min(6) @Max(16) @DefaultValue("7") int codeLength,
        @DefaultValue("false") boolean permanentRedirects,
        @NotNull @DefaultValue("30s") Duration unknownCodeCacheTtl) {
}
