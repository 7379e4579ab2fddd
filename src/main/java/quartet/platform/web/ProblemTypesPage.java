package quartet.platform.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.HtmlUtils;

/**
 * The page every problem's {@code type} points at: {@code /problems} lists each kind, and
 * {@code /problems/<code>} answers with the same page scrolled to that kind (or 404 for a
 * code that does not exist).
 */
@RestController
class ProblemTypesPage {

    // The catalogue is fixed at build time: the page is rendered once.
    private static final String PAGE = render();

    @GetMapping("/problems")
    ResponseEntity<String> page() {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body(PAGE);
    }

    private static String render() {
        StringBuilder page = new StringBuilder(
                """
                        <!doctype html>
                        <html lang="en"><head><meta charset="utf-8"><title>Quartet problem types</title>
                        <style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}
                        code{background:#f2f2f2;padding:0 .25rem}section{border-top:1px solid #ddd;padding:.5rem 0}</style></head><body>
                        <h1>Problem types</h1>
                        <p>Every error Quartet answers with is an RFC 9457 <code>application/problem+json</code> body. Its
                        <code>type</code> is one of the URIs below (relative to this server) and its <code>code</code> the last
                        segment of that URI; both are stable. <code>status</code>, <code>title</code>, <code>detail</code> and
                        <code>instance</code> are as RFC 9457 defines them, and a 400 about fields lists them in
                        <code>errors</code>.</p>
                        """);
        for (ProblemTypes.Kind kind : ProblemTypes.all()) {
            page.append("<section id=\"")
                .append(kind.code())
                .append("\"><h2><code>")
                .append(kind.type())
                .append("</code></h2>")
                .append("<p><strong>")
                .append(HtmlUtils.htmlEscape(kind.title()))
                .append("</strong> · status ")
                .append(kind.status())
                .append(" · code <code>")
                .append(kind.code())
                .append("</code></p><p>")
                .append(HtmlUtils.htmlEscape(kind.description()))
                .append("</p></section>\n");
        }
        return page.append("</body></html>\n").toString();
    }

    @GetMapping("/problems/{code}")
    ResponseEntity<String> one(@PathVariable String code) {
        if (ProblemTypes.byCode(code).isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "There is no problem type with this code; /problems lists them all.");
        }
        return ResponseEntity.status(HttpStatus.SEE_OTHER).header("Location", "/problems#" + code).build();
    }

}
