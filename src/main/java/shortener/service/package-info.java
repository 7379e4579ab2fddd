/**
 * The shortener's use cases: managing links, following them on the hot path, and counting
 * clicks in batches. Uses the repositories; the web layer uses it.
 */
@NullMarked
package shortener.service;

import org.jspecify.annotations.NullMarked;
