package quartet.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The engines start while the context is built: a bean that connects to PostgreSQL as
 * soon as it exists still finds it running, and an engine that cannot start fails the
 * start and leaves nothing running. Kafka and the AMQP broker are pointed elsewhere, so
 * only PostgreSQL and Redis are embedded here.
 */
class EmbeddedEnginesStartupTests {

    @Test
    void theDataSourceWaitsForPostgresStartingInTheBackground(@TempDir Path home) throws SQLException {
        try (ConfigurableApplicationContext context = start(home)) {
            try (Connection connection = context.getBean(DataSource.class).getConnection()) {
                assertThat(connection.isValid(5)).isTrue();
            }
            assertThat(context.getEnvironment().getProperty("quartet.embedded.services")).isEqualTo("postgresql,redis");
            assertThat(context.getEnvironment().getProperty("quartet.embedded.redis.kind")).isNotBlank();
        }
    }

    @Test
    void anEngineThatCannotStartFailsTheStartAndLeavesNothingRunning(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("postgres"));
        // Our parent process (Maven's JVM) stands in for another live Quartet owning the
        // data.
        long otherLiveQuartet = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(home.resolve("postgres.quartet-owner.pid"), Long.toString(otherLiveQuartet));
        Set<Long> redisBefore = redisServersOfThisJvm();

        assertThatThrownBy(() -> start(home).close()).rootCause().hasMessageContaining("in use by another Quartet");

        assertThat(redisServersOfThisJvm()).as("the redis-server that did start is stopped").isSubsetOf(redisBefore);
        assertThat(home.resolve("postgres").resolve("PG_VERSION")).doesNotExist();
    }

    private static ConfigurableApplicationContext start(Path home) {
        SpringApplication application = new SpringApplication(ConnectsAtCreation.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        // No system environment: CI points the suite at its own PostgreSQL and Redis
        // through it.
        application.setEnvironment(new StandardEnvironment() {
            @Override
            protected void customizePropertySources(MutablePropertySources propertySources) {
            }
        });
        return application.run("--quartet.embedded.data-directory=" + home,
                "--spring.kafka.bootstrap-servers=127.0.0.1:9", "--spring.rabbitmq.host=127.0.0.1");
    }

    private static Set<Long> redisServersOfThisJvm() {
        return ProcessHandle.current()
            .children()
            .filter(p -> p.info().command().orElse("").contains("redis-server"))
            .map(ProcessHandle::pid)
            .collect(Collectors.toSet());
    }

    @Configuration(proxyBeanMethods = false)
    static class ConnectsAtCreation {

        /** Connects while it is created, as a pool that validates on start would. */
        @Bean
        SingleConnectionDataSource dataSource(Environment environment) throws SQLException {
            String url = environment.getRequiredProperty("spring.datasource.url");
            Connection connection = DriverManager.getConnection(url, "postgres", "");
            return new SingleConnectionDataSource(connection, false);
        }

    }

}
