package payments.order;

import java.util.UUID;

import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

/** All orders. */
public interface Orders extends ListCrudRepository<Order, UUID>, PagingAndSortingRepository<Order, UUID> {
}
