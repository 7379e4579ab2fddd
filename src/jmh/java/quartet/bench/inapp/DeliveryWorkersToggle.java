package quartet.bench.inapp;

import org.springframework.amqp.rabbit.listener.RabbitListenerEndpointRegistry;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets the benchmark hold the webhook delivery workers while it fills their queue, then let them
 * go, so delivery is timed on its own, without ingestion: {@code POST /bench/delivery-workers?running=false}.
 * {@code GET /bench/incomplete-publications} says when every accepted message has reached the
 * broker. Benchmark build only, like the rest of this package.
 */
@RestController
class DeliveryWorkersToggle {

    private static final String WORKERS = "webhooks.delivery-worker"; // the @RabbitListener id of DeliveryWorker

    private final RabbitListenerEndpointRegistry listeners;
    private final JdbcClient jdbc;

    DeliveryWorkersToggle(RabbitListenerEndpointRegistry listeners, JdbcClient jdbc) {
        this.listeners = listeners;
        this.jdbc = jdbc;
    }

    @PostMapping("/bench/delivery-workers")
    ResponseEntity<Void> workers(@RequestParam boolean running) {
        var container = listeners.getListenerContainer(WORKERS);
        if (container == null) {
            throw new IllegalStateException("No listener container " + WORKERS);
        }
        if (running) {
            container.start();
        }
        else {
            container.stop();
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/bench/incomplete-publications")
    long incompletePublications() {
        return jdbc.sql("SELECT count(*) FROM event_publication WHERE completion_date IS NULL").query(Long.class).single();
    }
}
