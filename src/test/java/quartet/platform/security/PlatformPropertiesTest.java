package quartet.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * The key list is checked while it is bound, so a bad one stops the start and says which
 * entry.
 */
class PlatformPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PlatformProperties.class)
    static class Bound {

    }

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void bindsPlaintextAndDigestKeysWithTheDefaultFailureLimit() {
        context.withPropertyValues("quartet.platform.api-keys=alice=k1,alice=sha256:" + "ab".repeat(32))
            .run(started -> {
                assertThat(started).hasNotFailed();
                PlatformProperties properties = started.getBean(PlatformProperties.class);
                assertThat(properties.apiKeys()).hasSize(2);
                assertThat(properties.failedAuth().limitPerMinute()).isEqualTo(10);
            });
    }

    @Test
    void anEmptyAdminListOverridesALowerOne() {
        // compose.yaml sets QUARTET_PLATFORM_ADMIN_CLIENTS to "" unless told otherwise:
        // no admin then.
        context.withSystemProperties("quartet.platform.admin-clients[0]=demo")
            .run(started -> assertThat(started.getBean(PlatformProperties.class).adminClients())
                .containsExactly("demo"));
        context.withSystemProperties("quartet.platform.admin-clients[0]=demo")
            .withPropertyValues("quartet.platform.admin-clients=")
            .run(started -> assertThat(started.getBean(PlatformProperties.class).adminClients()).isEmpty());
    }

    @Test
    void failsTheStartOnADigestOfTheWrongLength() {
        context.withPropertyValues("quartet.platform.api-keys=alice=sha256:abc")
            .run(started -> assertThat(started).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining(
                        "quartet.platform.api-keys[0] (client alice) has a sha256: digest of 3 characters"));
    }

    @Test
    void failsTheStartWhenTwoClientsShareAKey() {
        context
            .withPropertyValues("quartet.platform.api-keys[0]=alice=s3cr3t-shared",
                    "quartet.platform.api-keys[1]=bob=s3cr3t-shared")
            .run(started -> assertThat(started).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("(client bob) has the same key as quartet.platform.api-keys[0] (client alice)")
                .message()
                .doesNotContain("s3cr3t"));
    }

    @Test
    void failsTheStartOnAFailureLimitBelowOne() {
        context.withPropertyValues("quartet.platform.failed-auth.limit-per-minute=0")
            .run(started -> assertThat(started).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("limit-per-minute must be at least 1"));
    }

}
