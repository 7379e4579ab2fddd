package quartet.dashboard;

import java.net.URI;
import java.util.Collection;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;
import webhooks.AllowedPrivateUrls;

/**
 * The one loopback destination demo mode opens to webhooks: the demo receiver, on this
 * app's own port, as the demo subscribes it (localhost) or as a visitor may write it
 * (127.0.0.1). Nothing else on loopback: not the actuator, not another path, not another
 * local port. Known once the web server listens.
 */
@Component
@ConditionalOnBooleanProperty(name = DemoModeEnvironment.ENABLED, matchIfMissing = true)
class DemoReceiverDestination implements AllowedPrivateUrls, ApplicationListener<WebServerInitializedEvent> {

    static final String PATH = "/demo/webhooks";

    private volatile List<URI> urls = List.of();

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() != null) {
            return; // a management server on its own port serves no demo receiver
        }
        int port = event.getWebServer().getPort();
        urls = List.of(URI.create("http://localhost:" + port + PATH), URI.create("http://127.0.0.1:" + port + PATH));
    }

    @Override
    public Collection<URI> urls() {
        return urls;
    }

}
