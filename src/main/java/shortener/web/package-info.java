/**
 * The shortener's HTTP handlers: the link API under /api/links and the public redirects.
 * Uses the services only, never a repository.
 */
@NullMarked
package shortener.web;

import org.jspecify.annotations.NullMarked;
