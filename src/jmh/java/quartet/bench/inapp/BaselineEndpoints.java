package quartet.bench.inapp;

import java.net.URI;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Baselines that must run inside the application under test, next to the real routes: a bare 302 and
 * payment creation as plain JDBC. This class exists only in the benchmark build (src/jmh/java): the
 * benchmark driver starts the jar with these classes on the loader path, and component scanning of
 * the quartet package picks them up. The product jar never contains them.
 */
@RestController
class BaselineEndpoints {

    private static final URI TARGET = URI.create("https://example.com/bench");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;

    BaselineEndpoints(JdbcTemplate jdbc, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.transaction = transaction;
    }

    /** The least a redirect can be: no lookup, no click, the same kind of headers as the real one. */
    @GetMapping("/bench/bare/{code}")
    ResponseEntity<Void> bare(@PathVariable String code) {
        return ResponseEntity.status(HttpStatus.FOUND).location(TARGET).header("Cache-Control", "max-age=30, private").build();
    }

    /**
     * The rows a payment creation writes, as plain JDBC: claim the key, read the order, insert the payment, its
     * first transition and the outbox entry, complete the key. No aggregate mapping, no event publication
     * machinery, no fingerprint, no JSON round trip of the stored response beyond a fixed string.
     */
    @PostMapping("/api/bench/jdbc-payments")
    ResponseEntity<String> jdbcPayment(@RequestHeader("Idempotency-Key") String key, @RequestBody Map<String, Object> request) {
        UUID orderId = UUID.fromString((String) request.get("orderId"));
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("""
                INSERT INTO payments.idempotency_keys (client_id, idempotency_key, fingerprint, status, locked_at, created_at, expires_at)
                VALUES ('bench', ?, 'f', 'IN_FLIGHT', ?, ?, ?)
                ON CONFLICT (client_id, idempotency_key) DO NOTHING""", key, now, now, Timestamp.from(now.toInstant().plusSeconds(86_400)));
        UUID paymentId = UUID.randomUUID();
        String body = "{\"id\":\"" + paymentId + "\",\"status\":\"CREATED\"}";
        transaction.executeWithoutResult(status -> {
            jdbc.queryForMap("SELECT status, currency, total_minor FROM payments.orders WHERE id = ?", orderId);
            jdbc.update("""
                    INSERT INTO payments.payments (id, order_id, amount_minor, currency, payment_method, status, created_at, updated_at, version)
                    VALUES (?, ?, ?, ?, ?, 'CREATED', ?, ?, 0)""", paymentId, orderId, ((Number) request.get("amount")).longValue(),
                    request.get("currency"), request.get("paymentMethod"), now, now);
            jdbc.update("""
                    INSERT INTO payments.payment_transitions (payment_id, position, from_status, to_status, reason, at)
                    VALUES (?, 0, NULL, 'CREATED', 'accepted', ?)""", paymentId, now);
            jdbc.update("""
                    INSERT INTO event_publication (id, listener_id, event_type, serialized_event, publication_date, completion_date, status)
                    VALUES (?, 'bench.baseline', 'bench.PaymentRequested', ?, ?, ?, 'COMPLETED')""", UUID.randomUUID(),
                    "{\"paymentId\":\"" + paymentId + "\"}", now, now);
            jdbc.update("""
                    UPDATE payments.idempotency_keys SET status = 'COMPLETED', response_status = 201, response_body = ?
                    WHERE client_id = 'bench' AND idempotency_key = ?""", body, key);
        });
        return ResponseEntity.status(HttpStatus.CREATED).header("Content-Type", "application/json").body(body);
    }
}
