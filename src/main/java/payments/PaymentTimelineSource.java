package payments;

import java.util.List;
import java.util.UUID;

/**
 * A part of a payment's timeline that FlowPay does not own. Modules that depend on
 * payments (webhooks, for the deliveries it fans out of payment events) implement it as a
 * bean with their own tables; the timeline collects every such bean, so FlowPay shows
 * their part without depending on them.
 */
public interface PaymentTimelineSource {

    /**
     * What this source recorded about the payment, in any order; empty when it knows
     * nothing.
     */
    List<PaymentTimelineEntry> entriesFor(UUID paymentId);

}
