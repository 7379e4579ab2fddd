package payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.EnableScenarios;
import org.springframework.modulith.test.Scenario;
import payments.order.Order;
import payments.order.OrderItem;
import payments.order.OrderStatus;
import payments.order.Orders;
import quartet.QuartetApplication;

/**
 * The order lifecycle as an event flow (Modulith's Scenario API): a successful payment
 * pays its order, once. It runs in the whole application's
 * context: @ApplicationModuleTest cannot yet bootstrap one top-level module on its own
 * (see docs/architecture.md).
 */
@SpringBootTest(classes = QuartetApplication.class)
@EnableScenarios
class OrderLifecycleModuleTests {

    @Autowired
    Orders orders;

    @Autowired
    JdbcClient jdbc;

    @Test
    void paysTheOrderWhenItsPaymentSucceeds(Scenario scenario) {
        Order order = orders.save(Order.place("demo", "module-" + UUID.randomUUID(), "EUR",
                List.of(new OrderItem("Widget", 2, 500)), Instant.now()));
        UUID payment = UUID.randomUUID();

        scenario.publish(new PaymentSucceeded(payment, order.id(), 1000, "EUR", "demo"))
            .customize(wait -> wait.atMost(Duration.ofSeconds(60)))
            .andWaitForStateChange(() -> orders.findById(order.id()).orElseThrow().status(),
                    status -> status == OrderStatus.PAID)
            .andVerify(status -> {
                assertThat(orders.findById(order.id()).orElseThrow().paidBy()).isEqualTo(payment);
                // OrderPaid went into the publication registry (outbox) for its listeners
                // and Kafka.
                assertThat(publicationsOf(OrderPaid.class, order.id())).isPositive();
            });
    }

    /**
     * How many distinct events of a type about an order went into the registry (one
     * publication per listener).
     */
    private long publicationsOf(Class<?> type, UUID order) {
        return jdbc
            .sql("""
                    SELECT count(DISTINCT serialized_event) FROM (
                        SELECT serialized_event FROM event_publication WHERE event_type = :type AND serialized_event LIKE :order
                        UNION ALL
                        SELECT serialized_event FROM event_publication_archive WHERE event_type = :type AND serialized_event LIKE :order) published
                    """)
            .param("type", type.getName())
            .param("order", "%" + order + "%")
            .query(Long.class)
            .single();
    }

    @Test
    void ignoresASecondSuccessForAPaidOrder(Scenario scenario) {
        Order order = orders.save(Order.place("demo", "module-" + UUID.randomUUID(), "EUR",
                List.of(new OrderItem("Widget", 1, 500)), Instant.now()));
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        scenario.publish(new PaymentSucceeded(first, order.id(), 500, "EUR", "demo"))
            .customize(wait -> wait.atMost(Duration.ofSeconds(60)))
            .andWaitForStateChange(() -> orders.findById(order.id()).orElseThrow().status(),
                    status -> status == OrderStatus.PAID)
            .andVerify(status -> assertThat(orders.findById(order.id()).orElseThrow().paidBy()).isEqualTo(first));

        scenario.publish(new PaymentSucceeded(second, order.id(), 500, "EUR", "demo"))
            .customize(wait -> wait.atMost(Duration.ofSeconds(60)))
            .andWaitForStateChange(() -> completedListenerRuns("payments.mark-order-paid", second), runs -> runs > 0)
            .andVerify(runs -> {
                assertThat(orders.findById(order.id()).orElseThrow().paidBy()).isEqualTo(first);
                assertThat(publicationsOf(OrderPaid.class, order.id())).as("one OrderPaid per order").isEqualTo(1);
            });
    }

    private long completedListenerRuns(String listener, UUID payment) {
        return jdbc.sql(
                "SELECT count(*) FROM event_publication_archive WHERE listener_id = :listener AND serialized_event LIKE :payment")
            .param("listener", listener)
            .param("payment", "%" + payment + "%")
            .query(Long.class)
            .single();
    }

}
