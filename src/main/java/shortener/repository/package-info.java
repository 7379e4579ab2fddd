/**
 * The shortener's storage: links and click statistics in PostgreSQL (schema shortener),
 * the link cache, click-limit counters and the click buffer in Redis. Knows nothing of
 * services or web.
 */
@NullMarked
package shortener.repository;

import org.jspecify.annotations.NullMarked;
