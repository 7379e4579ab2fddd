/**
 * Authentication of the HTTP and gRPC APIs: API keys kept as digests, the security filter
 * chain, the limit on failed authentications per address, and the platform's settings.
 */
@NullMarked
package quartet.platform.security;

import org.jspecify.annotations.NullMarked;
