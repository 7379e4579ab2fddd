/**
 * URL shortener: owns short links, their redirects on the Redis hot path, expiry and
 * click analytics.
 */
@org.springframework.modulith.ApplicationModule(displayName = "URL Shortener",
        allowedDependencies = { "ratelimit", "network" })
@NullMarked
package shortener;

import org.jspecify.annotations.NullMarked;
