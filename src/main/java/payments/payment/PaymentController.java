package payments.payment;

import java.util.List;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import payments.idempotency.IdempotencyKey;

/**
 * Payments. Creating one requires an Idempotency-Key header; keys are scoped to the API client
 * and kept at least 24 hours (quartet.payments.idempotency-key-retention) before they are purged.
 */
@RestController
@RequestMapping("/api/payments")
class PaymentController {

    private final IdempotentPayments idempotentPayments;
    private final Payments payments;

    PaymentController(IdempotentPayments idempotentPayments, Payments payments) {
        this.idempotentPayments = idempotentPayments;
        this.payments = payments;
    }

    @PostMapping
    ResponseEntity<String> create(@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody PaymentRequest request, Authentication client, HttpServletRequest http) {
        IdempotencyKey key;
        try {
            key = IdempotencyKey.parse(idempotencyKey);
        }
        catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return idempotentPayments.create(client.getName(), key, request, http.getRequestURI());
    }

    @GetMapping("/{id}")
    PaymentView get(@PathVariable UUID id) {
        return payments.findById(id).map(PaymentView::of)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No payment " + id));
    }

    @GetMapping(params = "orderId")
    List<PaymentView> forOrder(@RequestParam UUID orderId) {
        return payments.findByOrderIdOrderByCreatedAtDesc(orderId).stream().map(PaymentView::of).toList();
    }
}
