/**
 * HoldUp: owns rate limiting, from the lock-free token bucket to the HTTP middleware that
 * guards every API; it depends on no other module.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Rate limiter (HoldUp)", allowedDependencies = {})
@NullMarked
package ratelimit;

import org.jspecify.annotations.NullMarked;
