/**
 * The live dashboard at the root path and the demo that feeds it: a webhook receiver
 * route that verifies signatures, the seeding that subscribes it, and a rate-limited
 * route for the burst button. Not a module: it uses only the modules' HTTP APIs and
 * public events.
 */
@NullMarked
package quartet.dashboard;

import org.jspecify.annotations.NullMarked;
