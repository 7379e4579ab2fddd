package quartet.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import quartet.platform.messaging.FailedPublications.FailedPublication;
import quartet.platform.messaging.FailingTestListeners.AlwaysRefused;
import quartet.platform.messaging.FailingTestListeners.RefusedTwice;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A listener that keeps failing ends, after its budget of attempts, given up with its
 * reason, listed by the API and run again only by hand; one that recovers completes. Real
 * registry in PostgreSQL, real asynchronous listeners; the tests run the resubmission job
 * themselves.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ListenerFailureIntegrationTests {

    /**
     * Failed publications span every client: an admin's key (ops in the suite's
     * configuration).
     */
    private static final String API_KEY = "ops-test-key";

    private static final Duration WAIT = Duration.ofSeconds(20);

    /**
     * A run of the job this far ahead finds every publication's backoff over: only the
     * budget decides.
     */
    private static final Duration BACKOFF_OVER = Duration.ofDays(30);

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FailingTestListeners listeners;

    @Autowired
    EventPublicationResubmitter resubmitter;

    @Autowired
    FailedPublications publications;

    @Autowired
    ResubmissionSettings settings;

    @AfterEach
    void dropTheTestListenersPublications() {
        // Left FAILED, they would be resubmitted by every later run of the job in this
        // JVM.
        jdbc.sql("DELETE FROM event_publication WHERE listener_id IN ('test.always-refuses', 'test.refuses-twice')")
            .update();
        publications.forgetCompleted();
    }

    @Test
    void givesUpOnAListenerThatKeepsFailingAndRunsItAgainOnlyWhenResubmittedByHand(CapturedOutput output)
            throws Exception {
        int budget = settings.maxAttempts();
        UUID event = UUID.randomUUID();
        publish(new AlwaysRefused(event));
        UUID publication = awaitFailedAttempt("test.always-refuses", event, 1);

        for (int attempt = 2; attempt <= budget; attempt++) {
            resubmitter.resubmitDueAt(Instant.now().plus(BACKOFF_OVER));
            awaitFailedAttempt("test.always-refuses", event, attempt);
        }

        assertThat(listeners.calls(event)).isEqualTo(budget);
        JsonNode listed = listed(publication);
        assertThat(listed.path("givenUp").asBoolean()).isTrue();
        assertThat(listed.path("status").asString()).isEqualTo("FAILED");
        assertThat(listed.path("attempts").asInt()).isEqualTo(budget);
        assertThat(listed.path("attemptsLeft").asInt()).isZero();
        assertThat(listed.path("listenerId").asString()).isEqualTo("test.always-refuses");
        assertThat(listed.path("eventType").asString()).isEqualTo(AlwaysRefused.class.getName());
        assertThat(listed.path("lastReason").asString())
            .isEqualTo("IllegalStateException: order " + event + " is cancelled (token=***)");
        assertThat(listed.path("lastFailedAt").isNull()).isFalse();
        assertThat(listed.path("nextAttemptAt").isMissingNode() || listed.path("nextAttemptAt").isNull()).isTrue();

        // Later runs leave it alone, while a newer failing publication behind it is still
        // resubmitted.
        UUID newer = UUID.randomUUID();
        publish(new AlwaysRefused(newer));
        awaitFailedAttempt("test.always-refuses", newer, 1);
        resubmitter.resubmitDueAt(Instant.now().plus(BACKOFF_OVER));
        // Claiming happens inside the run: a given-up publication it had resubmitted
        // would already count one more attempt.
        assertThat(publications.find(publication)).hasValueSatisfying(it -> {
            assertThat(it.status()).isEqualTo("FAILED");
            assertThat(it.attempts()).isEqualTo(budget);
        });
        await().atMost(WAIT).until(() -> listeners.calls(newer) == 2);
        resubmitter.resubmitDueAt(Instant.now().plus(BACKOFF_OVER));
        assertThat(publications.find(publication)).map(FailedPublication::attempts).hasValue(budget);
        assertThat(listeners.calls(event)).isEqualTo(budget);

        HttpResponse<String> resubmitted = send(withKey(post("/api/events/failed/" + publication + "/resubmit")));

        assertThat(resubmitted.statusCode()).isEqualTo(202);
        assertThat(json.readTree(resubmitted.body()).path("id").asString()).isEqualTo(publication.toString());
        awaitFailedAttempt("test.always-refuses", event, budget + 1);
        assertThat(listeners.calls(event)).isEqualTo(budget + 1);
        JsonNode afterHand = listed(publication);
        assertThat(afterHand.path("givenUp").asBoolean()).as("a resubmission by hand starts a fresh budget").isFalse();
        assertThat(afterHand.path("attemptsLeft").asInt()).isEqualTo(budget - 1);
        assertThat(afterHand.path("resubmittedByHandAt").isNull()).isFalse();
        assertThat(output.getAll()).as("the log names the failure, masked")
            .contains("is cancelled (token=***)")
            .doesNotContain("s3cr3t-value");
    }

    @Test
    void completesAListenerThatFailsTwiceThenSucceeds() throws Exception {
        UUID event = UUID.randomUUID();
        publish(new RefusedTwice(event));
        UUID publication = awaitFailedAttempt("test.refuses-twice", event, 1);
        resubmitter.resubmitDueAt(Instant.now().plus(BACKOFF_OVER));
        awaitFailedAttempt("test.refuses-twice", event, 2);

        resubmitter.resubmitDueAt(Instant.now().plus(BACKOFF_OVER));

        await().atMost(WAIT).until(() -> publications.completed(publication));
        assertThat(listeners.calls(event)).isEqualTo(3);
        assertThat(publications.find(publication)).isEmpty();
        assertThat(failedList().valueStream().map(node -> node.path("id").asString()))
            .doesNotContain(publication.toString());
        resubmitter.resubmitDueAt(Instant.now());
        assertThat(jdbc.sql("SELECT count(*) FROM event_publication_failure WHERE publication_id = :id")
            .param("id", publication)
            .query(Long.class)
            .single()).as("its failure record is dropped once it completed").isZero();
    }

    @Test
    void waitsTwiceAsLongAfterEachFailedAttempt() throws Exception {
        Duration minAge = settings.minAge();
        UUID event = UUID.randomUUID();
        publish(new AlwaysRefused(event));
        UUID publication = awaitFailedAttempt("test.always-refuses", event, 1);
        Instant first = publications.find(publication).orElseThrow().lastAttemptAt();
        assertThat(Instant.parse(listed(publication).path("nextAttemptAt").asString())).isEqualTo(first.plus(minAge));

        resubmitter.resubmitDueAt(first.plus(minAge).minusMillis(1));
        assertThat(publications.find(publication)).map(FailedPublication::attempts).as("not due yet").hasValue(1);
        resubmitter.resubmitDueAt(first.plus(minAge));
        awaitFailedAttempt("test.always-refuses", event, 2);

        Instant second = publications.find(publication).orElseThrow().lastAttemptAt();
        resubmitter.resubmitDueAt(second.plus(minAge));
        assertThat(publications.find(publication)).map(FailedPublication::attempts).as("the wait doubled").hasValue(2);
        resubmitter.resubmitDueAt(second.plus(minAge.multipliedBy(2)));
        awaitFailedAttempt("test.always-refuses", event, 3);
        assertThat(listeners.calls(event)).isEqualTo(3);
    }

    @Test
    void listsFailedPublicationsOnlyToAnAdmin() throws Exception {
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri("/api/events/failed")).GET().build());
        HttpResponse<String> client = send(
                HttpRequest.newBuilder(uri("/api/events/failed")).header("X-API-Key", "alice-test-key").GET().build());
        HttpResponse<String> resubmit = send(post("/api/events/failed/" + java.util.UUID.randomUUID() + "/resubmit")
            .header("X-API-Key", "alice-test-key")
            .build());
        HttpResponse<String> withKey = send(withKey(HttpRequest.newBuilder(uri("/api/events/failed")).GET()));

        assertProblem(anonymous, 401);
        assertProblem(client, 403);
        assertProblem(resubmit, 403);
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(json.readTree(withKey.body()).isArray()).isTrue();
    }

    @Test
    void refusesToResubmitAnUnknownPublication() throws Exception {
        UUID unknown = UUID.randomUUID();

        HttpResponse<String> response = send(withKey(post("/api/events/failed/" + unknown + "/resubmit")));

        JsonNode problem = assertProblem(response, 404);
        assertThat(problem.path("detail").asString()).contains(unknown.toString());
        assertProblem(send(post("/api/events/failed/" + unknown + "/resubmit").build()), 401);
    }

    private void publish(Object event) {
        transaction.executeWithoutResult(status -> events.publishEvent(event));
    }

    /**
     * Waits until the listener's n-th attempt on the event failed and Modulith marked it
     * FAILED; returns the publication.
     */
    private UUID awaitFailedAttempt(String listenerId, UUID event, int attempt) {
        return await().atMost(WAIT)
            .until(() -> jdbc
                .sql("""
                        SELECT id FROM event_publication
                        WHERE listener_id = :listener AND serialized_event LIKE :event AND status = 'FAILED' AND completion_attempts = :attempt
                        """)
                .param("listener", listenerId)
                .param("event", "%" + event + "%")
                .param("attempt", attempt)
                .query(UUID.class)
                .optional()
                .orElse(null), found -> found != null);
    }

    private JsonNode failedList() throws Exception {
        HttpResponse<String> response = send(
                withKey(HttpRequest.newBuilder(uri("/api/events/failed?limit=500")).GET()));
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private JsonNode listed(UUID publication) throws Exception {
        return failedList().valueStream()
            .filter(node -> node.path("id").asString().equals(publication.toString()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("publication " + publication + " is not listed"));
    }

    private JsonNode assertProblem(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        return problem;
    }

    private HttpRequest.Builder post(String path) {
        return HttpRequest.newBuilder(uri(path)).POST(BodyPublishers.noBody());
    }

    private HttpRequest withKey(HttpRequest.Builder request) {
        return request.header("X-API-Key", API_KEY).build();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, BodyHandlers.ofString());
    }

}
