package payments.processing;

import java.util.List;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Operators' view of the payment dead-letter topic. */
@RestController
@RequestMapping("/api/payments/dead-letters")
class DeadLetterController {

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    List<DeadLetters.DeadLetter> list() {
        return deadLetters.list();
    }

    @PostMapping("/{paymentId}/requeue")
    ResponseEntity<Void> requeue(@PathVariable UUID paymentId) {
        deadLetters.requeue(paymentId);
        return ResponseEntity.accepted().build();
    }
}
