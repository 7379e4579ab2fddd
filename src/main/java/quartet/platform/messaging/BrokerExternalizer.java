package quartet.platform.messaging;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.modulith.events.EventExternalizationConfiguration;
import org.springframework.modulith.events.RoutingTarget;
import org.springframework.modulith.events.support.DelegatingEventExternalizer;

/**
 * Hands each externalized event to the transport of the broker it names. One listener for
 * both brokers means one publication per event in the registry, completed only when that
 * broker confirmed the message.
 */
class BrokerExternalizer extends DelegatingEventExternalizer {

    /** The listener id of every externalized event's publication in the registry. */
    static final String LISTENER_ID = "quartet.externalizer";

    /** Sends one event to one broker; the future fails if the broker did not take it. */
    interface Transport {

        CompletableFuture<?> send(RoutingTarget target, Object event);

    }

    BrokerExternalizer(EventExternalizationConfiguration configuration, Map<Broker, Transport> transports) {
        super(configuration, (target, event) -> transports.get(Broker.of(event).orElseThrow()).send(target, event));
    }

    @Override
    @ApplicationModuleListener(id = LISTENER_ID)
    public CompletableFuture<?> externalize(Object event) {
        return super.externalize(event);
    }

}
