/**
 * Whose bucket a request spends from: the client key of its address (an IPv6 client by
 * its network prefix), and the proxies whose X-Forwarded-For is believed.
 */
@NullMarked
package ratelimit.web;

import org.jspecify.annotations.NullMarked;
