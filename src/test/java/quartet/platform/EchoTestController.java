package quartet.platform;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Test-only endpoint that gives the platform's error handling a validated JSON body to refuse. */
@RestController
@RequestMapping("/api/test/echo")
class EchoTestController {

    record Greeting(@NotBlank String name, @Positive int times) {
    }

    @PostMapping
    Greeting echo(@Valid @RequestBody Greeting greeting) {
        return greeting;
    }
}
