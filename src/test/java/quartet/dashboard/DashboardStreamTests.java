package quartet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import quartet.QuartetApplication;

/**
 * The dashboard's live stream over real HTTP: an in-process event, its Kafka record and
 * the AMQP job of a webhook delivery each arrive as a server-sent event.
 */
// Demo mode flushes clicks every second and subscribes a catch-all receiver: close this
// context after the
// class, so it cannot take other test classes' clicks or deliveries while they run.
@DirtiesContext
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        // As in the default configuration, the demo client is an admin (the suite's usual
        // key is not).
        properties = { "quartet.demo.enabled=true", "quartet.shortener.click-flush-interval=1s",
                "quartet.platform.admin-clients=demo,ops" })
// After @SpringBootTest, so its clean-up runs while the context is still open: registered
// first,
// it ran after the context was closed and started a new one, which stayed up for the rest
// of the run.
@ExtendWith(DemoEndpointPerClass.class)
class DashboardStreamTests {

    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    KafkaTail kafkaTail;

    @Autowired
    CachingConnectionFactory connectionFactory;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CompletableFuture<HttpResponse<Stream<String>>> stream;

    @AfterEach
    void closeStream() {
        if (stream != null) {
            stream.thenAccept(response -> response.body().close());
            stream.cancel(true);
        }
    }

    @Test
    void streamsInProcessEventsKafkaRecordsAndAmqpMessages() throws Exception {
        DemoHttp http = new DemoHttp(port);
        stream = HttpClient.newHttpClient()
            .sendAsync(HttpRequest.newBuilder(URI.create(http.origin() + "/dashboard/stream")).build(),
                    HttpResponse.BodyHandlers.ofLines());
        stream.thenAccept(response -> {
            assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            response.body().forEach(lines::add);
        });
        await().atMost(ARRIVAL).until(() -> lines.contains(":connected"));
        await().atMost(ARRIVAL).until(kafkaTail::assigned);

        String alias = "stream-" + Long.toString(System.nanoTime(), 36);
        assertThat(http.post("/api/links", "{\"targetUrl\":\"https://example.com/\",\"alias\":\"" + alias + "\"}")
            .statusCode()).isEqualTo(201);
        assertThat(http.post("/api/webhooks/messages", "{\"eventType\":\"dashboard.test\",\"payload\":{\"n\":1}}")
            .statusCode()).isEqualTo(202);

        await().atMost(ARRIVAL)
            .untilAsserted(() -> assertThat(dataLines()).anySatisfy(line -> assertThat(line)
                .contains("\"source\":\"app\"", "\"channel\":\"LinkCreated\"", "short link /" + alias)));
        await().atMost(ARRIVAL)
            .untilAsserted(() -> assertThat(dataLines()).anySatisfy(line -> assertThat(line)
                .contains("\"source\":\"kafka\"", "\"channel\":\"link.created\"", "\"key\":\"" + alias + "\"")));
        await().atMost(ARRIVAL)
            .untilAsserted(() -> assertThat(dataLines()).anySatisfy(line -> assertThat(line)
                .contains("\"source\":\"amqp\"", "\"channel\":\"webhooks.deliveries\"", "delivery job")));

        // The tail's exclusive queue dies with the connection; the next connection gets a
        // new one.
        connectionFactory.resetConnection();
        String delivery = http
            .post("/api/webhooks/messages", "{\"eventType\":\"dashboard.test\",\"payload\":{\"n\":2}}")
            .body()
            .replaceAll("(?s).*\"deliveries\":\\[\\{\"id\":\"([^\"]+)\".*", "$1");
        await().atMost(ARRIVAL)
            .untilAsserted(() -> assertThat(dataLines()).anySatisfy(
                    line -> assertThat(line).contains("\"source\":\"amqp\"", "\"deliveryId\":\"").contains(delivery)));
    }

    private List<String> dataLines() {
        return lines.stream().filter(line -> line.startsWith("data:")).toList();
    }

}
