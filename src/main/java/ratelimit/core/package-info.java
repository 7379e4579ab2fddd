/**
 * The token bucket itself, lock-free and exact in 64-bit integers, with buckets per key
 * in bounded memory and tokens leased from a shared bucket. Framework-free.
 */
@NullMarked
package ratelimit.core;

import org.jspecify.annotations.NullMarked;
