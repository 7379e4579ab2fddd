package quartet;

import java.util.OptionalInt;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import quartet.launcher.FastStart;

/**
 * Boots the four Quartet modules in one JVM. The modules are top-level packages, so both
 * component scanning and the auto-configuration packages (Spring Data repositories, event
 * externalization) must name them explicitly.
 */
@SpringBootApplication(scanBasePackages = { "quartet", "payments", "webhooks", "shortener", "ratelimit" })
@AutoConfigurationPackage(basePackages = { "quartet", "payments", "webhooks", "shortener", "ratelimit" })
@ConfigurationPropertiesScan({ "quartet", "payments", "webhooks", "shortener", "ratelimit" })
@EnableScheduling
public class QuartetApplication {

    public static void main(String[] args) {
        OptionalInt preparedJvmExit = FastStart.runInPreparedJvm(args);
        if (preparedJvmExit.isPresent()) {
            System.exit(preparedJvmExit.getAsInt());
        }
        SpringApplication.run(QuartetApplication.class, args);
    }

}
