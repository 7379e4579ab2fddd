package payments.payment;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.repository.ListCrudRepository;
import payments.ownership.Caller;

/**
 * All payments. The API reads them through the methods that take a {@link Caller}: a
 * client finds only its own payments, an admin every payment. The unfiltered ones serve
 * FlowPay's own flows (processing, reconciliation, listeners).
 */
public interface Payments extends ListCrudRepository<Payment, UUID> {

    List<Payment> findByOrderIdOrderByCreatedAtDesc(UUID orderId);

    List<Payment> findByOrderIdAndOwnerOrderByCreatedAtDesc(UUID orderId, String owner);

    Optional<Payment> findByIdAndOwner(UUID id, String owner);

    /** The payment if the caller may see it: its own, or any for an admin. */
    default Optional<Payment> findVisible(UUID id, Caller caller) {
        return caller.admin() ? findById(id) : findByIdAndOwner(id, caller.client());
    }

    /** The order's payments the caller may see, newest first. */
    default List<Payment> findVisibleForOrder(UUID orderId, Caller caller) {
        return caller.admin() ? findByOrderIdOrderByCreatedAtDesc(orderId)
                : findByOrderIdAndOwnerOrderByCreatedAtDesc(orderId, caller.client());
    }

}
