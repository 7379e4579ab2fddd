/**
 * Tells Spring Modulith which top-level packages are Quartet's modules, since they lie
 * outside the application class's package.
 */
@NullMarked
package quartet.modules;

import org.jspecify.annotations.NullMarked;
