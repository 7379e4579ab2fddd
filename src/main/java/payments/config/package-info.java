/**
 * FlowPay's settings ({@code quartet.payments.*}).
 */
@NullMarked
package payments.config;

import org.jspecify.annotations.NullMarked;
