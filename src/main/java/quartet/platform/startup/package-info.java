/**
 * Start-up around the modules: the embedded engines' post-processor only in builds that
 * have them, and the banner that says where to go once the application is ready.
 */
@NullMarked
package quartet.platform.startup;

import org.jspecify.annotations.NullMarked;
