package quartet.embedded;

import java.util.Map;
import java.util.concurrent.Callable;

/**
 * An engine whose ports and credentials are already chosen, so Spring can be pointed at
 * it while it is still starting.
 *
 * @param service the service this engine stands in for
 * @param connectionProperties the Spring properties that connect to it, known before it
 * runs
 * @param start starts the engine and returns once it serves requests
 */
record Launch(Service service, Map<String, Object> connectionProperties, Callable<Engine> start) {

    Launch {
        connectionProperties = Map.copyOf(connectionProperties);
    }
}
