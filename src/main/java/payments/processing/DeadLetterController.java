package payments.processing;

import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import payments.ownership.Caller;

/**
 * The view of the payment dead-letter topic: each client's own payments, every payment
 * for an admin.
 */
@RestController
@RequestMapping("/api/payments/dead-letters")
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    List<DeadLetters.DeadLetter> list(Authentication client) {
        return deadLetters.list(Caller.of(client));
    }

    @PostMapping("/{paymentId}/requeue")
    ResponseEntity<Void> requeue(@PathVariable UUID paymentId, Authentication client) {
        deadLetters.requeue(paymentId, Caller.of(client));
        return ResponseEntity.accepted().build();
    }

}
