/**
 * HoldUp's shared token buckets, kept in Redis and decided by one atomic Lua script each,
 * so every instance spends from the same bucket.
 */
@NullMarked
package ratelimit.redis;

import org.jspecify.annotations.NullMarked;
