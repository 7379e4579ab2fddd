package quartet.embedded;

import java.net.URLStreamHandler;
import java.net.URLStreamHandlerFactory;

import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;
import org.jspecify.annotations.Nullable;

/**
 * Makes Qpid's {@code classpath:} and {@code data:} URLs resolvable everywhere, including
 * a Spring Boot fat jar, where Qpid's own registration (through
 * {@code java.protocol.handler.pkgs}) cannot see the nested jars.
 * <p>
 * The JVM accepts a single {@link URLStreamHandlerFactory} and embedded Tomcat claims it,
 * so the handlers join Tomcat's factory as a user factory instead of replacing it.
 */
final class QpidUrlHandlers implements URLStreamHandlerFactory {

    private static boolean registered;

    private QpidUrlHandlers() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        try {
            TomcatURLStreamHandlerFactory.getInstance().addUserFactory(new QpidUrlHandlers());
        }
        catch (Error factoryTakenOrNoTomcat) {
            // Another library owns the JVM factory, or Tomcat is absent. Qpid's own
            // registration
            // still works outside a fat jar; inside one Qpid fails with "unknown
            // protocol: classpath".
        }
        registered = true;
    }

    @Override
    public @Nullable URLStreamHandler createURLStreamHandler(String protocol) {
        return switch (protocol) {
            case "classpath" -> new org.apache.qpid.server.util.urlstreamhandler.classpath.Handler();
            case "data" -> new org.apache.qpid.server.util.urlstreamhandler.data.Handler();
            default -> null;
        };
    }

}
