/**
 * Money as FlowPay counts it: integer minor units of an ISO 4217 currency, validated
 * once.
 */
@NullMarked
package payments.money;

import org.jspecify.annotations.NullMarked;
