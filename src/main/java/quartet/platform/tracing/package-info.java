/**
 * Carries a request's trace through the event publication registry, so every after-commit
 * listener runs in the trace its event was published in.
 */
@NullMarked
package quartet.platform.tracing;

import org.jspecify.annotations.NullMarked;
