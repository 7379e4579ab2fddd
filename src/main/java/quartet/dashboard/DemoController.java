package quartet.dashboard;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo's public routes: the webhook receiver (what a merchant would run), the
 * switches that make it misbehave, and a cheap route limited by the demo-burst policy for
 * the burst button.
 */
@RestController
@Validated
@ConditionalOnBooleanProperty(name = DemoModeEnvironment.ENABLED, matchIfMissing = true)
class DemoController {

    private final DemoReceiver receiver;

    DemoController(DemoReceiver receiver) {
        this.receiver = receiver;
    }

    /** A change of the receiver's behaviour; absent fields stay as they are. */
    record BehaviourChange(@Min(0) @Max(1000) @Nullable Integer failNext, @Nullable Boolean gone) {
    }

    @PostMapping("/demo/webhooks")
    ResponseEntity<Void> receive(@RequestHeader(name = "webhook-id", required = false) @Nullable String id,
            @RequestHeader(name = "webhook-timestamp", required = false) @Nullable String timestamp,
            @RequestHeader(name = "webhook-signature", required = false) @Nullable String signature,
            @RequestBody(required = false) byte @Nullable [] body) {
        int status = receiver.receive(id, timestamp, signature, body == null ? new byte[0] : body);
        return ResponseEntity.status(status).build();
    }

    @GetMapping("/demo/webhooks/received")
    List<DemoReceiver.Received> received() {
        return receiver.received();
    }

    @GetMapping("/demo/webhooks/behaviour")
    DemoReceiver.Behaviour behaviour() {
        return receiver.behaviour();
    }

    @PutMapping("/demo/webhooks/behaviour")
    DemoReceiver.Behaviour changeBehaviour(@RequestBody @jakarta.validation.Valid BehaviourChange change) {
        return receiver.change(change.failNext(), change.gone());
    }

    /** Does nothing but answer: the demo-burst rate-limit policy guards it. */
    @GetMapping("/demo/limited")
    Map<String, Object> limited() {
        return Map.of("ok", true);
    }

}
