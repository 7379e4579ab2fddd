package payments.order;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;
import payments.ownership.Caller;

/**
 * All orders. The API reads them through the methods that take a {@link Caller}: a client
 * finds only its own orders, an admin every order. The unfiltered ones serve FlowPay's
 * own flows.
 */
public interface Orders extends ListCrudRepository<Order, UUID>, PagingAndSortingRepository<Order, UUID> {

    /**
     * The order's live payment (any that is not FAILED), of which PostgreSQL allows at
     * most one (index payments_one_live_per_order).
     */
    @Query("SELECT id FROM payments.payments WHERE order_id = :order AND status <> 'FAILED' AND duplicate_of IS NULL")
    Optional<UUID> livePaymentOf(UUID order);

    Optional<Order> findByIdAndOwner(UUID id, String owner);

    Page<Order> findByOwner(String owner, Pageable page);

    /** The order if the caller may see it: its own, or any for an admin. */
    default Optional<Order> findVisible(UUID id, Caller caller) {
        return caller.admin() ? findById(id) : findByIdAndOwner(id, caller.client());
    }

    /** The orders the caller may see, a page at a time. */
    default Page<Order> findVisible(Caller caller, Pageable page) {
        return caller.admin() ? findAll(page) : findByOwner(caller.client(), page);
    }

}
