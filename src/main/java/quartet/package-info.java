/**
 * The application's entry point: boots the four Quartet modules and the shared network
 * module in one JVM.
 */
@NullMarked
package quartet;

import org.jspecify.annotations.NullMarked;
