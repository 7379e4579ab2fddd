package quartet.platform;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only endpoints: a validated JSON body for the error handling to refuse, and routes
 * with tight rate limits.
 */
@RestController
@RequestMapping("/api/test")
class EchoTestController {

    record Greeting(@NotBlank String name, @Positive int times) {
    }

    @GetMapping({ "/limited", "/shadowed" })
    String limited() {
        return "ok";
    }

    @PostMapping("/echo")
    Greeting echo(@Valid @RequestBody Greeting greeting) {
        return greeting;
    }

}
