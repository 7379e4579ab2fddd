package quartet.platform.health;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Says for each backing service whether this instance runs it embedded or uses an
 * external one, as the {@code services} health component (the per-service health is in
 * its own component).
 */
@Component("services")
class ServiceModes implements HealthIndicator {

    private static final List<String> SERVICES = List.of("postgresql", "kafka", "amqp", "redis");

    private final Set<String> embedded;

    private final String redisKind;

    ServiceModes(@Value("${quartet.embedded.services:}") String embedded,
            @Value("${quartet.embedded.redis.kind:redis-server}") String redisKind) {
        this.embedded = Arrays.stream(embedded.split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
        this.redisKind = redisKind;
    }

    String modeOf(String service) {
        if (!embedded.contains(service)) {
            return "external";
        }
        return "redis".equals(service) && "in-process".equals(redisKind) ? "embedded (in-process)" : "embedded";
    }

    @Override
    public Health health() {
        Map<String, Object> modes = new LinkedHashMap<>();
        SERVICES.forEach(service -> modes.put(service, modeOf(service)));
        return Health.up().withDetails(modes).build();
    }

}
