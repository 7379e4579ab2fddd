package payments.order;

import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

/** All orders. */
public interface Orders extends ListCrudRepository<Order, UUID>, PagingAndSortingRepository<Order, UUID> {

    /**
     * The order's live payment (any that is not FAILED), of which PostgreSQL allows at most one
     * (index payments_one_live_per_order).
     */
    @Query("SELECT id FROM payments.payments WHERE order_id = :order AND status <> 'FAILED' AND duplicate_of IS NULL")
    Optional<UUID> livePaymentOf(UUID order);
}
