package quartet.dashboard;

import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The test suite's contexts share one database. A demo endpoint subscribed to every event
 * type would take a delivery of every other test's messages, so each demo test class
 * subscribes it before its tests (the context may be a cached one that already did) and
 * removes it after.
 */
class DemoEndpointPerClass implements BeforeAllCallback, AfterAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        application.getBean(DemoSeeding.class).seed(http(application).origin());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        DemoHttp http = http(application);
        application.getBean(JdbcClient.class)
            .sql("SELECT endpoint_id FROM demo_webhook_receiver")
            .query(String.class)
            .list()
            .forEach(id -> {
                try {
                    http.send("DELETE", "/api/webhooks/endpoints/" + id, null, Map.of());
                }
                catch (Exception e) {
                    throw new IllegalStateException("Could not remove the demo endpoint " + id, e);
                }
            });
    }

    private static DemoHttp http(ApplicationContext application) {
        return new DemoHttp(application.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

}
