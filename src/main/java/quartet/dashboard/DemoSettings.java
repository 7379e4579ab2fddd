package quartet.dashboard;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the one-jar demo ({@code quartet.demo.*}).
 *
 * @param enabled whether the demo is on: the webhook receiver and limited routes under
 * /demo are served publicly, the receiver is subscribed at start, loopback webhook
 * destinations are allowed and the dashboard is handed the API key below. Switch it off
 * in any deployment.
 * @param apiKey the API key the dashboard and the seeding use; it must be one of
 * quartet.platform.api-keys
 */
@ConfigurationProperties("quartet.demo")
record DemoSettings(@DefaultValue("true") boolean enabled, @DefaultValue("demo-key-change-me") String apiKey) {
}
