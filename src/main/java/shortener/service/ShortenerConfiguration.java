package shortener.service;

import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import shortener.ShortenerSettings;
import shortener.domain.Aliases;
import shortener.domain.CodeGenerator;
import shortener.domain.TargetPolicy;

/** The shortener's rules and shared hot-path state, built from its settings. */
@Configuration(proxyBeanMethods = false)
class ShortenerConfiguration {

    /** The clock that decides expiry, a bean so tests can move time; the system clock unless one is defined. */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock shortenerClock() {
        return Clock.systemUTC();
    }

    @Bean
    Aliases shortenerAliases(ShortenerSettings settings) {
        return new Aliases(settings.reservedAliases());
    }

    @Bean
    CodeGenerator shortenerCodeGenerator(ShortenerSettings settings, Aliases aliases) {
        return new CodeGenerator(settings.codeLength(), aliases);
    }

    @Bean
    TargetPolicy shortenerTargetPolicy(ShortenerSettings settings) {
        return new TargetPolicy(settings.baseUrl(), settings.allowedPrivateHosts(), TargetPolicy.HostResolver.dns());
    }

    @Bean
    RedisAvailability shortenerRedisAvailability() {
        return new RedisAvailability(Duration.ofSeconds(5));
    }

    @Bean
    LocalClickBuffer shortenerLocalClickBuffer(ShortenerSettings settings, MeterRegistry meters) {
        return new LocalClickBuffer(settings.localClickBufferCapacity(), meters);
    }
}
