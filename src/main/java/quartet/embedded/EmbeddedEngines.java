package quartet.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;

/**
 * Starts the engines a {@link Plan} asks for, in parallel and in the background, and
 * shares them per JVM: a test suite with several application contexts starts each engine
 * once, and the last context to close stops them. Ports and credentials are chosen before
 * any engine runs, so the application context can be built while the engines start;
 * whoever needs an engine waits for it with {@link Lease#await(Service)}. Stopping waits
 * for engines still starting and stops them too, so a failed start leaves no process and
 * no file behind.
 */
final class EmbeddedEngines {

    /**
     * What to embed: the services nobody configured, and where PostgreSQL and Kafka keep
     * their data.
     */
    record Plan(Set<Service> services, Optional<Path> persistentDirectory, boolean inProcessRedis) {

        Plan {
            services = Set.copyOf(services);
        }
    }

    private static final Map<Plan, EmbeddedEngines> RUNNING = new HashMap<>();

    private final Plan plan;

    private final RunDirectory run;

    private final Map<Service, Launch> launches;

    private final Map<Service, CompletableFuture<Engine>> engines;

    private int leases;

    private EmbeddedEngines(Plan plan, RunDirectory run, Map<Service, Launch> launches,
            Map<Service, CompletableFuture<Engine>> engines) {
        this.plan = plan;
        this.run = run;
        this.launches = launches;
        this.engines = engines;
    }

    /** Starts (or shares) the engines and returns once all of them serve requests. */
    static Lease acquire(Plan plan, Log log) {
        Lease lease = acquireStarting(plan, log);
        try {
            lease.awaitAll();
            return lease;
        }
        catch (RuntimeException e) {
            lease.close();
            throw e;
        }
    }

    /**
     * Starts (or shares) the engines and returns at once; their connection properties are
     * already known.
     */
    static synchronized Lease acquireStarting(Plan plan, Log log) {
        EmbeddedEngines engines = RUNNING.get(plan);
        if (engines == null || engines.failed()) {
            engines = start(plan, log);
            RUNNING.put(plan, engines);
        }
        engines.leases++;
        return engines.new Lease(log);
    }

    private static EmbeddedEngines start(Plan plan, Log log) {
        long started = System.nanoTime();
        RunDirectory run = RunDirectory.create(log);
        Map<Service, Launch> launches = new EnumMap<>(Service.class);
        try {
            for (Service service : EnumSet.copyOf(plan.services())) {
                launches.put(service, prepare(service, plan, run, log));
            }
        }
        catch (RuntimeException e) {
            run.delete();
            throw e;
        }
        ExecutorService executor = Executors.newFixedThreadPool(launches.size(), daemonThreads());
        Map<Service, CompletableFuture<Engine>> engines = new EnumMap<>(Service.class);
        launches.forEach((service, launch) -> engines.put(service,
                CompletableFuture.supplyAsync(() -> startOne(launch, log), executor)));
        executor.shutdown(); // the submitted starts still run; the threads end with them
        CompletableFuture.allOf(engines.values().toArray(CompletableFuture[]::new))
            .thenRun(() -> log.info("Embedded engines " + names(launches.keySet()) + " up in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms"));
        return new EmbeddedEngines(plan, run, launches, engines);
    }

    private static Launch prepare(Service service, Plan plan, RunDirectory run, Log log) {
        switch (service) {
            case POSTGRESQL:
                return PostgresEngine.prepare(plan.persistentDirectory(), run, log);
            case KAFKA:
                return KafkaEngine.prepare(plan.persistentDirectory(), run);
            case AMQP:
                return AmqpEngine.prepare(run);
            case REDIS:
                return RedisEngine.prepare(run, plan.inProcessRedis(), log);
            default:
                throw new IllegalArgumentException("No embedded engine for " + service);
        }
    }

    private static Engine startOne(Launch launch, Log log) {
        long started = System.nanoTime();
        Engine engine;
        try {
            engine = launch.start().call();
        }
        catch (RuntimeException e) {
            throw e;
        }
        catch (Exception e) {
            throw new IllegalStateException(
                    "Embedded " + launch.service().displayName() + " failed to start: " + e.getMessage(), e);
        }
        log.info("Embedded " + launch.service().displayName() + " started in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        return engine;
    }

    private boolean failed() {
        return engines.values().stream().anyMatch(CompletableFuture::isCompletedExceptionally);
    }

    private Engine await(Service service) {
        CompletableFuture<Engine> engine = engines.get(service);
        if (engine == null) {
            throw new IllegalArgumentException(service.displayName() + " is not embedded");
        }
        try {
            return engine.join();
        }
        catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Waits for every engine, including those still starting, and stops those that run.
     */
    private static void stopAll(Map<Service, CompletableFuture<Engine>> engines, Log log) {
        for (CompletableFuture<Engine> starting : engines.values()) {
            Engine engine = starting.handle((started, failure) -> started).join();
            if (engine == null) {
                continue; // failed to start: it cleaned up after itself
            }
            try {
                engine.close();
            }
            catch (RuntimeException e) {
                log.warn("Embedded " + engine.service().displayName() + " did not stop cleanly: " + e.getMessage());
            }
        }
    }

    /**
     * Names in the services' declared order (the set is an {@link EnumMap}'s key set).
     */
    private static List<String> names(Set<Service> services) {
        List<String> names = new ArrayList<>();
        services.forEach(service -> names.add(service.displayName()));
        return names;
    }

    private static ThreadFactory daemonThreads() {
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
            RUNNING.remove(plan, this);
        }
        stopAll(engines, log);
        run.delete();
    }

    /**
     * One application context's claim on the shared engines; closing it twice is
     * harmless.
     */
    final class Lease implements AutoCloseable {

        private final AtomicBoolean open = new AtomicBoolean(true);

        private final Log log;

        private Lease(Log log) {
            this.log = log;
        }

        Set<Service> services() {
            return launches.keySet();
        }

        /**
         * Blocks until this engine serves requests; throws its start failure if it could
         * not start.
         */
        void await(Service service) {
            EmbeddedEngines.this.await(service);
        }

        /** Blocks until every engine serves requests; throws the first start failure. */
        void awaitAll() {
            RuntimeException failure = null;
            for (Service service : launches.keySet()) {
                try {
                    EmbeddedEngines.this.await(service);
                }
                catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        /**
         * The connection properties of every engine, plus which services are embedded.
         * Known before the engines run; an engine that has started adds what it learned
         * (Redis's kind).
         */
        Map<String, Object> properties() {
            Map<String, Object> properties = new LinkedHashMap<>();
            launches.forEach((service, launch) -> {
                properties.putAll(launch.connectionProperties());
                CompletableFuture<Engine> engine = engines.get(service);
                if (engine.isDone() && !engine.isCompletedExceptionally()) {
                    properties.putAll(engine.join().connectionProperties());
                }
            });
            properties.put("quartet.embedded.services", String.join(",", names(launches.keySet())));
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
