package quartet.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The module docs the build rendered (ModuleDocsGenerator), served by the running app at
 * /docs without an API key: an index linking every module, a page per module with its
 * diagram and its Modulith canvas, and the diagrams as SVG. The build renders them before
 * the tests run (process-test-classes); a test runner that skips that phase finds nothing
 * to serve.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ModuleDocsTests {

    private static final List<String> MODULES = List.of("payments", "webhooks", "shortener", "ratelimit", "network");

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Test
    void redirectsTheFolderToItsIndexRatherThanTreatingItAsAShortCode() throws Exception {
        HttpResponse<String> response = get("/docs");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location"))
            .hasValueSatisfying(location -> assertThat(location).endsWith("/docs/"));
    }

    @Test
    void servesAnIndexWithTheComponentDiagramLinkingEveryModule() throws Exception {
        HttpClient following = HttpClient.newBuilder().followRedirects(Redirect.NORMAL).build();
        HttpResponse<String> response = following.send(HttpRequest.newBuilder(uri("/docs")).build(),
                BodyHandlers.ofString());

        assertHtml(response);
        assertThat(response.uri().getPath()).isEqualTo("/docs/");
        for (String module : MODULES) {
            assertThat(response.body()).contains("href=\"" + module + ".html\"");
        }
        assertThat(response.body()).contains("src=\"diagrams/components.svg\"", "href=\"/swagger-ui.html\"",
                "href=\"./docs.css\"");
        assertThat(response.body()).doesNotContain("<script");
        assertSvg(get("/docs/diagrams/components.svg"));
    }

    @Test
    void servesAPagePerModuleWithItsDiagramAndCanvas() throws Exception {
        for (String module : MODULES) {
            HttpResponse<String> page = get("/docs/" + module + ".html");

            assertHtml(page);
            assertThat(page.body()).as(module)
                .contains("src=\"diagrams/module-" + module + ".svg\"")
                .contains("Base package") // the canvas
                .contains("<code>" + module + "</code>");
            assertSvg(get("/docs/diagrams/module-" + module + ".svg"));
        }
    }

    @Test
    void servesTheStylesheet() throws Exception {
        HttpResponse<String> css = get("/docs/docs.css");

        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/css"));
    }

    private static void assertHtml(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    }

    private static void assertSvg(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("image/svg+xml"));
        assertThat(response.body()).contains("<svg");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

}
