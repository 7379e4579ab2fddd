package shortener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static shortener.ShortenerHttp.json;
import static shortener.ShortenerHttp.problem;
import static shortener.ShortenerHttp.uniqueAlias;
import static shortener.ShortenerHttp.uniqueTarget;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import shortener.repository.Links;
import shortener.service.ClickFlusher;
import tools.jackson.databind.JsonNode;

/**
 * Links and their statistics belong to the client that created them: every /api/links
 * route, acted on by the owner (alice), another client (bob) and an admin (ops). Bob gets
 * the same 404 as for a code nobody uses, and whatever he tried, the owner finds the link
 * and its statistics as they were. Redirects stay public.
 */
@ShortenerTest
class LinkOwnershipTests {

    private static final Map<String, String> KEYS = Map.of("alice", "alice-test-key", "bob", "bob-test-key", "ops",
            "ops-test-key");

    @LocalServerPort
    int port;

    @Autowired
    ClickFlusher flusher;

    @Autowired
    Links links;

    ShortenerHttp alice;

    @BeforeEach
    void connect() {
        alice = as("alice");
    }

    @ParameterizedTest(name = "{0} by {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            read    | alice | 200
            read    | bob   | 404
            read    | ops   | 200
            change  | alice | 200
            change  | bob   | 404
            change  | ops   | 200
            delete  | alice | 204
            delete  | bob   | 404
            delete  | ops   | 204
            stats   | alice | 200
            stats   | bob   | 404
            stats   | ops   | 200
            qr-png  | alice | 200
            qr-png  | bob   | 404
            qr-png  | ops   | 200
            qr-svg  | alice | 200
            qr-svg  | bob   | 404
            qr-svg  | ops   | 200
            """)
    void servesEveryLinkRouteToTheOwnerAndAnAdminOnly(String route, String actor, int status) {
        String code = alicesLinkWithOneCountedClick();
        Snapshot before = snapshot(code);

        HttpResponse<String> response = act(route, as(actor), code);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        if (status == 404) {
            assertThat(problem(response, 404).path("detail").asString())
                .isEqualTo("No link has the code " + code + ".");
            assertThat(snapshot(code)).as("what the owner finds after the refused " + route).isEqualTo(before);
        }
        else if (route.equals("change")) {
            assertThat(json(alice.get("/api/links/" + code)).path("state").asString()).isEqualTo("disabled");
        }
        else if (route.equals("delete")) {
            assertThat(alice.get("/api/links/" + code).statusCode()).isEqualTo(404);
            assertThat(links.find(ShortCode.of(code))).isEmpty();
        }
        else {
            assertThat(snapshot(code)).isEqualTo(before);
        }
    }

    @Test
    void answersAnotherClientsCodeExactlyLikeACodeNobodyUses() {
        String code = alicesLinkWithOneCountedClick();
        String unused = uniqueAlias();
        ShortenerHttp bob = as("bob");

        JsonNode theirs = problem(bob.get("/api/links/" + code), 404);
        JsonNode nobodys = problem(bob.get("/api/links/" + unused), 404);

        assertThat(theirs.path("detail").asString().replace(code, "CODE"))
            .isEqualTo(nobodys.path("detail").asString().replace(unused, "CODE"));
        assertThat(theirs.path("title")).isEqualTo(nobodys.path("title"));
        assertThat(theirs.properties().stream().map(Map.Entry::getKey))
            .containsExactlyInAnyOrderElementsOf(nobodys.properties().stream().map(Map.Entry::getKey).toList());
    }

    @Test
    void listsOnlyTheCallersOwnLinksAndAllOfThemForAnAdmin() {
        long bobsBefore = json(as("bob").get("/api/links?size=100")).path("totalLinks").asLong();
        String code = alice.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");

        JsonNode alices = json(alice.get("/api/links?size=100"));
        JsonNode bobs = json(as("bob").get("/api/links?size=100"));
        JsonNode all = json(as("ops").get("/api/links?size=100"));

        assertThat(codes(alices)).contains(code);
        assertThat(bobs.path("totalLinks").asLong()).as("alice's link is not counted for bob").isEqualTo(bobsBefore);
        assertThat(codes(bobs)).doesNotContain(code);
        assertThat(codes(all)).contains(code);
        assertThat(all.path("totalLinks").asLong())
            .isGreaterThanOrEqualTo(alices.path("totalLinks").asLong() + bobs.path("totalLinks").asLong());
        assertThat(links.ownerOf(ShortCode.of(code))).hasValue("alice");
    }

    @Test
    void tellsAnotherClientOnlyThatAnAliasIsTaken() {
        String alias = uniqueAlias();
        String target = uniqueTarget();
        alice.create("{\"targetUrl\":\"" + target + "\",\"alias\":\"" + alias + "\"}");
        Snapshot before = snapshot(alias);

        HttpResponse<String> bobs = as("bob").post("/api/links",
                "{\"targetUrl\":\"" + uniqueTarget() + "\",\"alias\":\"" + alias + "\"}");

        assertThat(problem(bobs, 409).path("detail").asString()).isEqualTo("The alias " + alias + " is taken.");
        assertThat(bobs.body()).doesNotContain(target).doesNotContain("alice");
        assertThat(snapshot(alias)).isEqualTo(before);
        assertThat(links.ownerOf(ShortCode.of(alias))).hasValue("alice");
    }

    @Test
    void keepsRedirectsPublicWhoeverOwnsTheLink() {
        String code = alice.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");

        assertThat(alice.follow(code).statusCode()).isEqualTo(302);
        assertThat(alice.details(code).statusCode()).isEqualTo(200);
    }

    private String alicesLinkWithOneCountedClick() {
        String code = alice.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");
        assertThat(alice.follow(code, ShortenerHttp.BROWSER, "https://news.example/item").statusCode()).isEqualTo(302);
        flusher.flush();
        // Another context's flush may have taken the click first: wait until PostgreSQL
        // counted it.
        await().atMost(Duration.ofSeconds(10))
            .until(() -> json(alice.get("/api/links/" + code + "/stats")).path("totalClicks").asLong() == 1);
        return code;
    }

    private static HttpResponse<String> act(String route, ShortenerHttp http, String code) {
        String path = "/api/links/" + code;
        return switch (route) {
            case "read" -> http.get(path);
            case "change" -> http.patch(path, "{\"disabled\":true}");
            case "delete" -> http.delete(path);
            case "stats" -> http.get(path + "/stats");
            case "qr-png" -> http.get(path + "/qr");
            case "qr-svg" -> http.get(path + "/qr?format=svg");
            default -> throw new IllegalArgumentException(route);
        };
    }

    /** What the owner reads about a link: the link and its statistics, as JSON. */
    private record Snapshot(int status, JsonNode link, JsonNode statistics) {
    }

    private Snapshot snapshot(String code) {
        HttpResponse<String> link = alice.get("/api/links/" + code);
        return new Snapshot(link.statusCode(), json(link), json(alice.get("/api/links/" + code + "/stats")));
    }

    private ShortenerHttp as(String client) {
        return new ShortenerHttp(port, KEYS.get(client));
    }

    private static java.util.List<String> codes(JsonNode page) {
        return page.path("links").valueStream().map(link -> link.path("code").asString()).toList();
    }

}
