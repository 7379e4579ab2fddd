/**
 * DispatchGo: owns webhook endpoints, messages and their signed, at-least-once deliveries
 * to merchants' URLs, including retries, dead letters and redrive.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Webhooks (DispatchGo)",
        allowedDependencies = { "payments", "ratelimit", "network" })
@NullMarked
package webhooks;

import org.jspecify.annotations.NullMarked;
