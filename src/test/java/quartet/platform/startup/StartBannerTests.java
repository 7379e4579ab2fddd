package quartet.platform.startup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class StartBannerTests {

    @Test
    void pointsAtEveryEntryPointAndSaysWhichServicesAreEmbedded() {
        var environment = new MockEnvironment().withProperty("quartet.platform.api-keys[0]", "demo-key-change-me")
            .withProperty("quartet.embedded.services", "postgresql,kafka,redis")
            .withProperty("quartet.embedded.redis.kind", "in-process");

        String banner = StartBanner.text(environment, 18123, 19090, 8_400);

        assertThat(banner).contains("ready (8.4 s after the JVM started)")
            .contains("http://localhost:18123/\n", "http://localhost:18123/swagger-ui.html",
                    "http://localhost:18123/docs", "http://localhost:18123/actuator/health")
            .contains("gRPC          localhost:19090  (FlowPay, quartet.payments.v1")
            .contains("Demo API key  demo-key-change-me")
            .contains("postgresql embedded, kafka embedded, amqp external, redis embedded (in-process)");
    }

    @Test
    void leavesOutTheGrpcLineWhenNoGrpcServerRuns() {
        assertThat(StartBanner.text(new MockEnvironment(), 8080, 0, 1_000)).doesNotContain("gRPC");
    }

    @Test
    void printsTheDemoKeyOnlyInDemoModeAndNeverAnyOtherKey() {
        var demoOff = new MockEnvironment().withProperty("quartet.demo.enabled", "false")
            .withProperty("quartet.platform.api-keys[0]", "demo-key-change-me");
        var realKeys = new MockEnvironment().withProperty("quartet.platform.api-keys[0]", "ops=s3cret-one")
            .withProperty("quartet.platform.api-keys[1]", "s3cret-two");

        assertThat(StartBanner.text(demoOff, 8080, 9090, 1_000)).doesNotContain("demo-key-change-me")
            .doesNotContain("Demo API key");
        assertThat(StartBanner.text(realKeys, 8080, 9090, 1_000)).doesNotContain("s3cret")
            .doesNotContain("Demo API key");
    }

}
