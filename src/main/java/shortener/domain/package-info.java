/**
 * The shortener's domain: links, their value types and the rules for codes, aliases and
 * targets. Every layer of the module may use it; it uses none of them.
 */
@NullMarked
package shortener.domain;

import org.jspecify.annotations.NullMarked;
