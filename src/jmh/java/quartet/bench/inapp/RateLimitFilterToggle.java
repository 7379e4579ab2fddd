package quartet.bench.inapp;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The benchmark's handle on {@link RateLimitFilterSwitch}: {@code POST /bench/rate-limit-filter?on=false}. */
@RestController
class RateLimitFilterToggle {

    private final RateLimitFilterSwitch filterSwitch;

    RateLimitFilterToggle(RateLimitFilterSwitch filterSwitch) {
        this.filterSwitch = filterSwitch;
    }

    @PostMapping("/bench/rate-limit-filter")
    ResponseEntity<Void> filter(@RequestParam boolean on) {
        filterSwitch.filter(on);
        return ResponseEntity.noContent().build();
    }
}
