/**
 * Orders: the aggregate, its repository and the commands behind the HTTP and gRPC APIs;
 * an order becomes PAID when a payment for it succeeds.
 */
@NullMarked
package payments.order;

import org.jspecify.annotations.NullMarked;
