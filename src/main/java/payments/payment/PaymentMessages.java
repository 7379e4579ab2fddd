package payments.payment;

import static payments.grpc.GrpcValues.orEmpty;
import static payments.grpc.GrpcValues.timestamp;

import payments.grpc.v1.Money;
import payments.grpc.v1.RefundPaymentResponse;

/**
 * FlowPay's payment views as the gRPC contract's messages; no rule lives here, only the
 * mapping.
 */
final class PaymentMessages {

    private PaymentMessages() {
    }

    static payments.grpc.v1.Payment payment(PaymentView view) {
        var message = payments.grpc.v1.Payment.newBuilder()
            .setId(view.id().toString())
            .setOwner(orEmpty(view.owner()))
            .setOrderId(view.orderId().toString())
            .setAmount(money(view.amount()))
            .setRefunded(money(view.refunded()))
            .setPendingRefunds(money(view.pendingRefunds()))
            .setPaymentMethod(orEmpty(view.paymentMethod()))
            .setStatus(status(view.status()))
            .setFailureReason(orEmpty(view.failureReason()))
            .setCreateTime(timestamp(view.createdAt()))
            .setUpdateTime(timestamp(view.updatedAt()));
        view.transitions().forEach(transition -> message.addTransitions(transition(transition)));
        view.refunds().forEach(refund -> message.addRefunds(refund(refund, view.amount().currency())));
        return message.build();
    }

    static payments.grpc.v1.PaymentTransition transition(PaymentTransition transition) {
        var message = payments.grpc.v1.PaymentTransition.newBuilder()
            .setToStatus(status(transition.toStatus()))
            .setReason(orEmpty(transition.reason()))
            .setTime(timestamp(transition.at()));
        if (transition.fromStatus() != null) {
            message.setFromStatus(status(transition.fromStatus()));
        }
        return message.build();
    }

    static payments.grpc.v1.Refund refund(Refund refund, String currency) {
        var message = payments.grpc.v1.Refund.newBuilder()
            .setId(refund.id().toString())
            .setAmount(money(refund.amountMinor(), currency))
            .setReason(orEmpty(refund.reason()))
            .setStatus(refundStatus(refund.status()))
            .setFailureReason(orEmpty(refund.failureReason()))
            .setRequestTime(timestamp(refund.at()));
        if (refund.settledAt() != null) {
            message.setSettleTime(timestamp(refund.settledAt()));
        }
        return message.build();
    }

    static RefundPaymentResponse refunded(Refunds.RefundView view) {
        var refund = payments.grpc.v1.Refund.newBuilder()
            .setId(view.id().toString())
            .setAmount(money(view.amount(), view.currency()))
            .setReason(orEmpty(view.reason()))
            .setStatus(refundStatus(view.status()))
            .setFailureReason(orEmpty(view.failureReason()))
            .setRequestTime(timestamp(view.requestedAt()));
        if (view.settledAt() != null) {
            refund.setSettleTime(timestamp(view.settledAt()));
        }
        return RefundPaymentResponse.newBuilder()
            .setRefund(refund)
            .setPaymentId(view.paymentId().toString())
            .setPaymentStatus(status(view.paymentStatus()))
            .setRefundedTotal(money(view.refundedTotal(), view.currency()))
            .setPendingTotal(money(view.pendingTotal(), view.currency()))
            .build();
    }

    static payments.grpc.v1.PaymentStatus status(PaymentStatus status) {
        return payments.grpc.v1.PaymentStatus.valueOf("PAYMENT_STATUS_" + status.name());
    }

    static payments.grpc.v1.RefundStatus refundStatus(RefundStatus status) {
        return payments.grpc.v1.RefundStatus.valueOf("REFUND_STATUS_" + status.name());
    }

    private static Money money(PaymentView.Amount amount) {
        return money(amount.minorUnits(), amount.currency());
    }

    private static Money money(long minorUnits, String currency) {
        return Money.newBuilder().setMinorUnits(minorUnits).setCurrencyCode(currency).build();
    }

}
