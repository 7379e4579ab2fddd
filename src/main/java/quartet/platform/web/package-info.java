/**
 * HTTP concerns shared by every module: every error as RFC 9457 problem+json with a
 * documented type and code, the page those types point at, the request body limit and
 * strict JSON integers.
 */
@NullMarked
package quartet.platform.web;

import org.jspecify.annotations.NullMarked;
