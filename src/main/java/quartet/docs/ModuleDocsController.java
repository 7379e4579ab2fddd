package quartet.docs;

import java.util.Set;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * The module docs: pages the build rendered into static/docs (see ModuleDocsGenerator in
 * the test sources), served by Spring's static resource handling. Only the folder itself
 * needs a route. Its pages link each other relatively, so /docs redirects to /docs/ as a
 * web server does for a directory; this exact mapping also wins over the shortener's
 * /{code} pattern. FlowPay's gRPC contract is served beside them from the classpath,
 * where the build puts the .proto files.
 */
@Controller
class ModuleDocsController {

    @GetMapping("/docs")
    String folder() {
        return "redirect:/docs/";
    }

    @GetMapping("/docs/")
    String index() {
        return "forward:/docs/index.html";
    }

    /**
     * The files of the contract by name: nothing else on the classpath can be asked for.
     */
    private static final Set<String> PROTO_FILES = Set.of("payments.proto", "orders.proto", "common.proto");

    @GetMapping("/docs/proto/quartet/payments/v1/{file}")
    ResponseEntity<Resource> proto(@PathVariable String file) {
        if (!PROTO_FILES.contains(file)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No file " + file + " in the gRPC contract");
        }
        return ResponseEntity.ok()
            .contentType(new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8))
            .cacheControl(CacheControl.noCache())
            .body(new ClassPathResource("quartet/payments/v1/" + file));
    }

}
