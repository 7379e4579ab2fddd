/**
 * Network addresses: which kind of network an IP address belongs to, for every module
 * that calls out to a URL someone else chose. Plain Java, no beans, no state; it depends
 * on no module.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Network addresses (shared)", allowedDependencies = {})
@NullMarked
package network;

import org.jspecify.annotations.NullMarked;
