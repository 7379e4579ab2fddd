package quartet.docs;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The module docs: pages the build rendered into static/docs (see ModuleDocsGenerator in the
 * test sources), served by Spring's static resource handling. Only the folder itself needs a
 * route. Its pages link each other relatively, so /docs redirects to /docs/ as a web server does
 * for a directory; this exact mapping also wins over the shortener's /{code} pattern.
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
}
