package quartet.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;

/**
 * Starts the engines a {@link Plan} asks for, in parallel, and shares them per JVM: a test
 * suite with several application contexts starts each engine once, and the last context to
 * close stops them. A failed start stops whatever did start and deletes its files.
 */
final class EmbeddedEngines {

    /** What to embed: the services nobody configured, and where PostgreSQL keeps its data. */
    record Plan(Set<Service> services, Optional<Path> persistentDirectory, boolean inProcessRedis) {

        Plan {
            services = Set.copyOf(services);
        }
    }

    private static final Map<Plan, EmbeddedEngines> RUNNING = new HashMap<>();

    private final Plan plan;
    private final RunDirectory run;
    private final List<Engine> engines;
    private int leases;

    private EmbeddedEngines(Plan plan, RunDirectory run, List<Engine> engines) {
        this.plan = plan;
        this.run = run;
        this.engines = engines;
    }

    static synchronized Lease acquire(Plan plan, Log log) {
        EmbeddedEngines engines = RUNNING.get(plan);
        if (engines == null) {
            engines = start(plan, log);
            RUNNING.put(plan, engines);
        }
        engines.leases++;
        return engines.new Lease(log);
    }

    private static EmbeddedEngines start(Plan plan, Log log) {
        long started = System.nanoTime();
        RunDirectory run = RunDirectory.create(log);
        ExecutorService executor = Executors.newFixedThreadPool(plan.services().size(), daemonThreads());
        List<CompletableFuture<Engine>> starting = new ArrayList<>();
        try {
            for (Service service : EnumSet.copyOf(plan.services())) {
                starting.add(CompletableFuture.supplyAsync(() -> startOne(service, plan, run, log), executor));
            }
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
            List<Engine> engines = new ArrayList<>();
            RuntimeException failure = null;
            for (CompletableFuture<Engine> future : starting) {
                try {
                    engines.add(future.join());
                }
                catch (CompletionException e) {
                    failure = failure == null ? unwrap(e) : failure;
                }
            }
            if (failure != null) {
                stopAll(engines, log);
                run.delete();
                throw failure;
            }
            log.info("Embedded engines " + names(engines) + " up in " + (System.nanoTime() - started) / 1_000_000 + " ms");
            return new EmbeddedEngines(plan, run, engines);
        }
        finally {
            executor.shutdown();
        }
    }

    private static Engine startOne(Service service, Plan plan, RunDirectory run, Log log) {
        long started = System.nanoTime();
        Engine engine = switch (service) {
            case POSTGRESQL -> PostgresEngine.start(plan.persistentDirectory(), run, log);
            case KAFKA -> KafkaEngine.start(run);
            case AMQP -> AmqpEngine.start(run);
            case REDIS -> RedisEngine.start(run, plan.inProcessRedis(), log);
        };
        log.info("Embedded " + service.displayName() + " started in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return engine;
    }

    private static RuntimeException unwrap(CompletionException e) {
        return e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
    }

    private static void stopAll(List<Engine> engines, Log log) {
        for (Engine engine : engines) {
            try {
                engine.close();
            }
            catch (RuntimeException e) {
                log.warn("Embedded " + engine.service().displayName() + " did not stop cleanly: " + e.getMessage());
            }
        }
    }

    private static List<String> names(List<Engine> engines) {
        return engines.stream().map(engine -> engine.service().displayName()).toList();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "quartet-engine-start");
            thread.setDaemon(true);
            return thread;
        };
    }

    private void release(Log log) {
        synchronized (EmbeddedEngines.class) {
            if (--leases > 0) {
                return;
            }
            RUNNING.remove(plan);
        }
        stopAll(engines, log);
        run.delete();
    }

    /** One application context's claim on the shared engines; closing it twice is harmless. */
    final class Lease implements AutoCloseable {

        private final AtomicBoolean open = new AtomicBoolean(true);
        private final Log log;

        private Lease(Log log) {
            this.log = log;
        }

        /** The connection properties of every engine, plus which services are embedded. */
        Map<String, Object> properties() {
            Map<String, Object> properties = new LinkedHashMap<>();
            engines.forEach(engine -> properties.putAll(engine.connectionProperties()));
            properties.put("quartet.embedded.services", String.join(",", names(engines)));
            return properties;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                release(log);
            }
        }
    }
}
