package quartet.embedded;

import java.util.Map;

/**
 * A running embedded engine: the properties that point Spring at it, and how to stop it.
 */
interface Engine extends AutoCloseable {

    Service service();

    /** Spring properties that connect the application to this engine. */
    Map<String, Object> connectionProperties();

    /** Stops the engine and removes what it wrote, unless it keeps data on purpose. */
    @Override
    void close();

}
