package payments.order;

import static payments.grpc.GrpcValues.orEmpty;
import static payments.grpc.GrpcValues.timestamp;

import payments.grpc.v1.Money;

/**
 * FlowPay's order views as the gRPC contract's messages; no rule lives here, only the
 * mapping.
 */
final class OrderMessages {

    private OrderMessages() {
    }

    static payments.grpc.v1.Order order(OrderController.OrderView view) {
        var message = payments.grpc.v1.Order.newBuilder()
            .setId(view.id().toString())
            .setOwner(orEmpty(view.owner()))
            .setCustomerReference(orEmpty(view.customerReference()))
            .setStatus(payments.grpc.v1.OrderStatus.valueOf("ORDER_STATUS_" + view.status().name()))
            .setTotal(Money.newBuilder().setMinorUnits(view.total()).setCurrencyCode(view.currency()))
            .setPaidBy(view.paidBy() == null ? "" : view.paidBy().toString())
            .setCreateTime(timestamp(view.createdAt()))
            .setUpdateTime(timestamp(view.updatedAt()));
        view.items()
            .forEach(item -> message.addItems(payments.grpc.v1.OrderItem.newBuilder()
                .setDescription(orEmpty(item.description()))
                .setQuantity(item.quantity())
                .setUnitPriceMinorUnits(item.unitPriceMinor())));
        return message.build();
    }

}
