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
import payments.PaymentTimelineEntry;
import payments.idempotency.IdempotencyKey;
import payments.ownership.Caller;

/**
 * Payments. Creating one requires an Idempotency-Key header; keys are scoped to the API
 * client and kept at least 24 hours (quartet.payments.idempotency-key-retention) before
 * they are purged. A payment belongs to its order's owner: another client gets 404 for
 * it, its refunds and its timeline, and cannot pay or refund it; an admin sees and
 * refunds any.
 */
@RestController
@RequestMapping("/api/payments")
class PaymentController {

    private final PaymentCommands commands;

    private final Payments payments;

    private final PaymentTimeline timeline;

    PaymentController(PaymentCommands commands, Payments payments, PaymentTimeline timeline) {
        this.commands = commands;
        this.payments = payments;
        this.timeline = timeline;
    }

    @GetMapping("/{id}/timeline")
    List<PaymentTimelineEntry> timeline(@PathVariable UUID id, Authentication client) {
        return timeline.of(find(id, Caller.of(client)));
    }

    @PostMapping
    ResponseEntity<String> create(@RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody PaymentRequest request, Authentication client, HttpServletRequest http) {
        return commands.create(request, parse(idempotencyKey), http.getRequestURI(), Caller.of(client));
    }

    @PostMapping("/{id}/refunds")
    ResponseEntity<String> refund(@PathVariable UUID id,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody RefundRequest request, Authentication client, HttpServletRequest http) {
        return commands.refund(id, request, parse(idempotencyKey), http.getRequestURI(), Caller.of(client));
    }

    private static IdempotencyKey parse(String header) {
        try {
            return IdempotencyKey.parse(header);
        }
        catch (IllegalArgumentException e) {
            ResponseStatusException refusal = new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
            if (header == null || header.isBlank()) {
                refusal.setType(java.net.URI.create("/problems/idempotency-key-missing"));
            }
            throw refusal;
        }
    }

    @GetMapping("/{id}/refunds/{refundId}")
    Refunds.RefundView refund(@PathVariable UUID id, @PathVariable UUID refundId, Authentication client) {
        return payments.findVisible(id, Caller.of(client))
            .flatMap(payment -> payment.refund(refundId).map(refund -> Refunds.RefundView.of(payment, refund)))
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "No refund " + refundId + " of payment " + id));
    }

    @GetMapping("/{id}")
    PaymentView get(@PathVariable UUID id, Authentication client) {
        return PaymentView.of(find(id, Caller.of(client)));
    }

    /**
     * The order's payments; empty for an order the caller may not see, as for an unknown
     * one.
     */
    @GetMapping(params = "orderId")
    List<PaymentView> forOrder(@RequestParam UUID orderId, Authentication client) {
        return payments.findVisibleForOrder(orderId, Caller.of(client)).stream().map(PaymentView::of).toList();
    }

    private Payment find(UUID id, Caller caller) {
        return payments.findVisible(id, caller)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No payment " + id));
    }

}
