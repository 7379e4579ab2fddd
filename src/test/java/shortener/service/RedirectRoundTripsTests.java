package shortener.service;

import static org.assertj.core.api.Assertions.assertThat;
import static shortener.ShortenerHttp.uniqueTarget;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import shortener.ShortenerSettings;
import shortener.ShortenerTest;
import shortener.domain.Caller;
import shortener.domain.Link;
import shortener.repository.ClickLimits;
import shortener.repository.ClickStatistics;
import shortener.repository.LinkCache;
import shortener.repository.Links;
import shortener.repository.NearLinkCache;

/**
 * How many commands a redirect sends to Redis, counted on a client of its own against the
 * real Redis: a near-cache hit sends none (one script call for a link with a click
 * limit), a first visit reads the shared cache and fills it, whatever else shares the
 * server.
 */
@ShortenerTest
class RedirectRoundTripsTests {

    private static final Caller CREATOR = new Caller("demo", false);

    @Autowired
    LinkService linkService;

    @Autowired
    Links links;

    @Autowired
    ClickStatistics statistics;

    @Autowired
    ShortenerSettings settings;

    @Autowired
    Clock clock;

    @Value("${spring.data.redis.host:localhost}")
    String host;

    @Value("${spring.data.redis.port:6379}")
    int port;

    private final List<String> commands = new CopyOnWriteArrayList<>();

    private LettuceConnectionFactory counted;

    private Redirects redirects;

    @BeforeEach
    void countCommands() {
        counted = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        counted.afterPropertiesSet();
        counted.getNativeClient().addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(event.getCommand().getType().toString());
            }
        });
        var redis = new StringRedisTemplate(counted);
        // No heartbeats here: entries are trusted for their unconfirmed lifetime, long
        // enough for a test.
        var nearCache = new NearLinkCache(100, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1), System::nanoTime);
        redirects = new Redirects(links, statistics, new LinkCache(redis), nearCache, new ClickLimits(redis),
                new LocalClickBuffer(10, new SimpleMeterRegistry()), new RedisAvailability(Duration.ofSeconds(5)),
                settings, clock);
    }

    @AfterEach
    void close() {
        counted.destroy();
    }

    @Test
    void followsANearCachedLinkWithoutAnyRedisCommand() {
        Link link = linkService.create(new NewLink(uniqueTarget(), null, null, null, null, null), CREATOR);
        redirects.follow(link.code(), null, "Mozilla/5.0");
        commands.clear();

        Redirect redirect = redirects.follow(link.code(), "https://news.example/", "Mozilla/5.0");

        assertThat(redirect.target()).isEqualTo(link.target().value());
        assertThat(commands).isEmpty();
    }

    @Test
    void followsANearCachedLinkWithAClickLimitWithOneScriptCall() {
        Link link = linkService.create(new NewLink(uniqueTarget(), null, null, null, 10L, null), CREATOR);
        redirects.follow(link.code(), null, "Mozilla/5.0");
        commands.clear();

        redirects.follow(link.code(), null, "Mozilla/5.0");

        assertThat(commands).containsExactly("EVALSHA");
    }

    @Test
    void readsAndFillsTheSharedCacheOnAFirstVisitOnly() {
        Link link = linkService.create(new NewLink(uniqueTarget(), null, null, null, null, null), CREATOR);
        // The first script call of a client may have to load the script; count from the
        // second on.
        redirects.follow(linkService.create(new NewLink(uniqueTarget(), null, null, null, null, null), CREATOR).code(),
                null, "Mozilla/5.0");
        commands.clear();

        redirects.follow(link.code(), null, "Mozilla/5.0");

        // The shared entry and its version in one read; the conditional write in one
        // script call.
        assertThat(commands).containsExactly("MGET", "EVALSHA");
        commands.clear();
        redirects.follow(link.code(), null, "Mozilla/5.0");
        assertThat(commands).isEmpty();
    }

}
