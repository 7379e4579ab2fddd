/**
 * Who a DispatchGo request acts for: the API client that owns what it creates, or an
 * admin who sees every client's.
 */
@NullMarked
package webhooks.ownership;

import org.jspecify.annotations.NullMarked;
