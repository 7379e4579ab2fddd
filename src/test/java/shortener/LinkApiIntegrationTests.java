package shortener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static shortener.ShortenerHttp.json;
import static shortener.ShortenerHttp.problem;
import static shortener.ShortenerHttp.uniqueAlias;
import static shortener.ShortenerHttp.uniqueTarget;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaAdmin;
import quartet.platform.messaging.TopicReader;
import tools.jackson.databind.JsonNode;

/**
 * The link API over real HTTP: create, read, list, change, delete, refusals as
 * problem+json, QR codes, LinkCreated.
 */
@ShortenerTest
class LinkApiIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    KafkaAdmin kafkaAdmin;

    ShortenerHttp http;

    @BeforeEach
    void connect() {
        http = new ShortenerHttp(port);
    }

    @Test
    void createsALinkWithAGeneratedCodeAndAnswers201() {
        String target = uniqueTarget();

        HttpResponse<String> response = http.post("/api/links", "{\"targetUrl\":\"" + target + "\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode link = json(response);
        String code = link.path("code").asString();
        assertThat(code).matches("[2-9A-HJ-NP-Za-km-z]{7}");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/links/" + code);
        assertThat(link.path("shortUrl").asString()).isEqualTo("http://localhost:8080/" + code);
        assertThat(link.path("targetUrl").asString()).isEqualTo(target);
        assertThat(link.path("customAlias").asBoolean()).isFalse();
        assertThat(link.path("state").asString()).isEqualTo("active");
    }

    @Test
    void createsALinkWithAnAliasATtlAndAClickLimit() {
        String alias = uniqueAlias();

        JsonNode link = json(http.post("/api/links", "{\"targetUrl\":\"" + uniqueTarget() + "\",\"alias\":\"" + alias
                + "\",\"ttl\":\"PT2H\",\"maxClicks\":5,\"permanentRedirect\":true}"));

        assertThat(link.path("code").asString()).isEqualTo(alias);
        assertThat(link.path("customAlias").asBoolean()).isTrue();
        assertThat(Instant.parse(link.path("expiresAt").asString()))
            .isBetween(Instant.now().plus(Duration.ofMinutes(119)), Instant.now().plus(Duration.ofMinutes(121)));
        assertThat(link.path("maxClicks").asLong()).isEqualTo(5);
        assertThat(link.path("permanentRedirect").asBoolean()).isTrue();
    }

    @Test
    void refusesATakenAliasWith409() {
        String alias = uniqueAlias();
        http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"alias\":\"" + alias + "\"}");

        problem(http.post("/api/links", "{\"targetUrl\":\"" + uniqueTarget() + "\",\"alias\":\"" + alias + "\"}"), 409);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|',
            textBlock = """
                    javascript: URL        | {"targetUrl":"javascript:alert(1)"}                                    | targetUrl
                    data: URL              | {"targetUrl":"data:text/html,hi"}                                      | targetUrl
                    file: URL              | {"targetUrl":"file:///etc/passwd"}                                     | targetUrl
                    no target              | {"alias":"whatever-it-is"}                                             | targetUrl
                    a loop to us           | {"targetUrl":"http://localhost:8080/abcdefg"}                          | targetUrl
                    a private address      | {"targetUrl":"http://192.168.1.10/admin"}                              | targetUrl
                    loopback by name       | {"targetUrl":"http://localhost:9000/"}                                 | targetUrl
                    cloud metadata         | {"targetUrl":"http://169.254.169.254/latest/meta-data/"}               | targetUrl
                    a reserved alias       | {"targetUrl":"https://links.example/a","alias":"Actuator"}             | alias
                    a too short alias      | {"targetUrl":"https://links.example/a","alias":"ab"}                   | alias
                    a bad character        | {"targetUrl":"https://links.example/a","alias":"a.b.c"}                | alias
                    a past expiry          | {"targetUrl":"https://links.example/a","expiresAt":"2001-01-01T00:00:00Z"} | expiresAt
                    expiry given twice     | {"targetUrl":"https://links.example/a","expiresAt":"2101-01-01T00:00:00Z","ttl":"PT1H"} | ttl
                    a zero click limit     | {"targetUrl":"https://links.example/a","maxClicks":0}                  | maxClicks
                    """)
    void refusesAnInvalidLinkWith400NamingTheField(String rule, String body, String field) {
        JsonNode problem = problem(http.post("/api/links", body), 400);

        assertThat(problem.path("errors").valueStream().map(error -> error.path("field").asString())).contains(field);
    }

    @Test
    void refusesATargetLongerThan2048Characters() {
        String target = "https://links.example/" + "a".repeat(2048);

        problem(http.post("/api/links", "{\"targetUrl\":\"" + target + "\"}"), 400);
    }

    @Test
    void readsListsChangesAndDeletesALink() {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");

        assertThat(json(http.get("/api/links/" + code)).path("code").asString()).isEqualTo(code);
        JsonNode page = json(http.get("/api/links?page=0&size=100"));
        assertThat(page.path("links").valueStream().map(link -> link.path("code").asString())).contains(code);
        assertThat(page.path("totalLinks").asLong()).isPositive();

        JsonNode changed = json(
                http.patch("/api/links/" + code, "{\"expiresAt\":\"2101-01-01T00:00:00Z\",\"maxClicks\":3}"));
        assertThat(changed.path("expiresAt").asString()).isEqualTo("2101-01-01T00:00:00Z");
        assertThat(changed.path("maxClicks").asLong()).isEqualTo(3);

        JsonNode cleared = json(
                http.patch("/api/links/" + code, "{\"neverExpires\":true,\"unlimitedClicks\":true,\"disabled\":true}"));
        assertThat(cleared.has("expiresAt")).isFalse();
        assertThat(cleared.has("maxClicks")).isFalse();
        assertThat(cleared.path("state").asString()).isEqualTo("disabled");

        assertThat(http.delete("/api/links/" + code).statusCode()).isEqualTo(204);
        problem(http.get("/api/links/" + code), 404);
        problem(http.delete("/api/links/" + code), 404);
    }

    @Test
    void refusesAPageSizeOutOfRange() {
        problem(http.get("/api/links?size=1000"), 400);
    }

    @Test
    void requiresAnApiKey() throws Exception {
        var anonymous = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest
            .newBuilder(java.net.URI.create("http://localhost:" + port + "/api/links"))
            .GET()
            .build();

        assertThat(anonymous.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode())
            .isEqualTo(401);
    }

    @Test
    void drawsTheShortUrlAsAQrCodeInPngAndSvg() throws Exception {
        String code = http.create("{\"targetUrl\":\"" + uniqueTarget() + "\"}");

        HttpResponse<byte[]> png = http.getBytes("/api/links/" + code + "/qr?size=200");

        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(image.getWidth()).isEqualTo(200);
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        var bitmap = new BinaryBitmap(
                new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)));
        // The image is a generated code with its quiet zone: decode it as such, not by
        // searching a photo for one.
        assertThat(new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText())
            .isEqualTo("http://localhost:8080/" + code);

        HttpResponse<String> svg = http.get("/api/links/" + code + "/qr?format=svg");
        assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(svg.body()).startsWith("<svg").contains("<path");
    }

    @Test
    void publishesLinkCreatedToKafkaKeyedByTheCode() {
        try (TopicReader topic = TopicReader.of(kafkaAdmin, "link.created")) {
            String alias = uniqueAlias();

            http.create("{\"targetUrl\":\"" + uniqueTarget() + "\",\"alias\":\"" + alias + "\"}");

            ConsumerRecord<String, String> record = await().atMost(Duration.ofSeconds(30))
                .until(() -> topic.find(alias), found -> found != null);
            assertThat(record.value()).contains("\"code\":\"" + alias + "\"", "\"owner\":\"demo\"");
        }
    }

}
