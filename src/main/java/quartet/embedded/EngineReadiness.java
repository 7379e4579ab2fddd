package quartet.embedded;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.InstantiationAwareBeanPostProcessor;

/**
 * Lets the context build while the engines start, and makes the first consumer of each
 * engine wait for it. PostgreSQL is needed early (the data source is created for Flyway
 * and the first repositories), so its data source waits for it. Kafka and the AMQP broker
 * are only connected to once every singleton exists (topic creation, listener containers,
 * producers), so the whole set is awaited by {@link #awaitAll()}, which the embedded
 * engines' post-processor registers as the first {@code SmartInitializingSingleton},
 * ahead of the application's. A failed engine fails the bean that waited for it, and so
 * the start.
 */
final class EngineReadiness implements InstantiationAwareBeanPostProcessor {

    private final EmbeddedEngines.Lease lease;

    private final Log log;

    EngineReadiness(EmbeddedEngines.Lease lease, Log log) {
        this.lease = lease;
        this.log = log;
    }

    @Override
    public @Nullable Object postProcessBeforeInstantiation(Class<?> beanClass, String beanName) {
        if (lease.services().contains(Service.POSTGRESQL) && DataSource.class.isAssignableFrom(beanClass)) {
            await(Service.POSTGRESQL, beanName);
        }
        return null;
    }

    void awaitAll() {
        for (Service service : lease.services()) {
            await(service, "the listener containers and clients");
        }
    }

    private void await(Service service, String waiter) {
        long began = System.nanoTime();
        lease.await(service);
        long waited = (System.nanoTime() - began) / 1_000_000;
        if (waited > 0) {
            log.info(waiter + " waited " + waited + " ms for embedded " + service.displayName());
        }
    }

}
