/**
 * Who a FlowPay request acts for: the API client that owns what it creates, or an admin
 * who sees every client's.
 */
@NullMarked
package payments.ownership;

import org.jspecify.annotations.NullMarked;
