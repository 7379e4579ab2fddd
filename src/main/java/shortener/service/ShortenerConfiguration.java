package shortener.service;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import shortener.ShortenerSettings;
import shortener.domain.Aliases;
import shortener.domain.CodeGenerator;
import shortener.domain.TargetPolicy;
import shortener.repository.LinkCache;
import shortener.repository.LinkChangeChannel;
import shortener.repository.NearLinkCache;

/** The shortener's rules and shared hot-path state, built from its settings. */
@Configuration(proxyBeanMethods = false)
class ShortenerConfiguration {

    /**
     * The clock that decides expiry, a bean so tests can move time; the system clock
     * unless one is defined.
     */
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
    RedisAvailability shortenerRedisAvailability(ShortenerSettings settings) {
        return new RedisAvailability(settings.redisRetryInterval());
    }

    @Bean
    NearLinkCache shortenerNearLinkCache(ShortenerSettings settings) {
        return new NearLinkCache(settings.nearCacheMaxEntries(), settings.linkCacheTtl(),
                settings.unknownCodeCacheTtl(), settings.changeSilenceLimit(), settings.unconfirmedNearCacheTtl(),
                System::nanoTime);
    }

    @Bean
    LinkChangeChannel shortenerLinkChangeChannel(StringRedisTemplate redis, RedisConnectionFactory connections,
            NearLinkCache nearCache) {
        return new LinkChangeChannel(redis, connections, nearCache);
    }

    @Bean
    LinkInvalidations shortenerLinkInvalidations(NearLinkCache nearCache, LinkCache cache, LinkChangeChannel channel,
            RedisAvailability redis, ShortenerSettings settings) {
        return new LinkInvalidations(nearCache, cache, channel, redis, settings.changeHeartbeatInterval());
    }

    @Bean
    LocalClickBuffer shortenerLocalClickBuffer(ShortenerSettings settings, MeterRegistry meters) {
        return new LocalClickBuffer(settings.localClickBufferCapacity(), meters);
    }

}
