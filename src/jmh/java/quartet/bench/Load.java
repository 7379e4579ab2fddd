package quartet.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP load generator: a fixed number of workers, each sending its next request as soon as
 * the previous answer is in. Small on purpose; it shares the 2 cores with the application, the same way for
 * a route and its baseline, so their ratio is what to read, not the absolute rate.
 */
final class Load {

    /** What one measurement saw: requests per second and latency percentiles in milliseconds. */
    record Result(String name, long requests, long unexpected, double seconds, double p50Millis, double p99Millis) {

        double perSecond() {
            return requests / seconds;
        }

        String row() {
            return String.format("%,.0f/s | %.2f ms | %.2f ms", perSecond(), p50Millis, p99Millis)
                    + (unexpected > 0 ? " (" + unexpected + " unexpected statuses)" : "");
        }
    }

    // A minute to connect: when the application falls behind an open loop, sends pile up on new connections
    // beyond Tomcat's accept queue, and a short timeout ended the run instead of measuring the queue.
    static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofMinutes(1))
        .build();

    private Load() {
    }

    /** Sends requests for {@code duration} with {@code workers} in parallel; request n comes from {@code requests}. */
    static Result forDuration(String name, int workers, Duration duration, int expectedStatus, IntFunction<HttpRequest> requests)
            throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        AtomicInteger next = new AtomicInteger();
        return run(name, workers, expectedStatus, () -> System.nanoTime() < end ? next.getAndIncrement() : -1, requests);
    }

    /** Sends exactly {@code count} requests with {@code workers} in parallel. */
    static Result forCount(String name, int workers, int count, int expectedStatus, IntFunction<HttpRequest> requests) throws Exception {
        AtomicInteger next = new AtomicInteger();
        return run(name, workers, expectedStatus, () -> {
            int n = next.getAndIncrement();
            return n < count ? n : -1;
        }, requests);
    }

    /** Sends {@code count} requests and returns the response bodies in request order; any other status fails. */
    static List<String> bodies(int workers, int count, int expectedStatus, IntFunction<HttpRequest> requests) throws Exception {
        String[] bodies = new String[count];
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> done = new java.util.ArrayList<>();
            for (int w = 0; w < workers; w++) {
                done.add(pool.submit(() -> {
                    int n;
                    while ((n = next.getAndIncrement()) < count) {
                        HttpResponse<String> response = CLIENT.send(requests.apply(n), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != expectedStatus) {
                            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
                        }
                        bodies[n] = response.body();
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            return List.of(bodies);
        }
        finally {
            pool.shutdownNow();
        }
    }

    private interface Ticket {
        int next();
    }

    private static Result run(String name, int workers, int expectedStatus, Ticket tickets, IntFunction<HttpRequest> requests)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            long start = System.nanoTime();
            List<Future<long[]>> futures = new java.util.ArrayList<>();
            AtomicInteger unexpected = new AtomicInteger();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    long[] latencies = new long[1024];
                    int count = 0;
                    int n;
                    while ((n = tickets.next()) >= 0) {
                        HttpRequest request = requests.apply(n);
                        long sent = System.nanoTime();
                        HttpResponse<Void> response = CLIENT.send(request, HttpResponse.BodyHandlers.discarding());
                        long took = System.nanoTime() - sent;
                        if (response.statusCode() != expectedStatus) {
                            if (unexpected.incrementAndGet() <= 3) {
                                System.err.println(name + ": status " + response.statusCode() + " for " + request.uri());
                            }
                        }
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = took;
                    }
                    return Arrays.copyOf(latencies, count);
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> future : futures) {
                long[] part = future.get();
                long[] merged = Arrays.copyOf(all, all.length + part.length);
                System.arraycopy(part, 0, merged, all.length, part.length);
                all = merged;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(all);
            Result result = new Result(name, all.length, unexpected.get(), seconds, percentile(all, 0.50), percentile(all, 0.99));
            System.out.println("  " + name + ": " + result.requests() + " requests in " + String.format("%.1f s: ", seconds) + result.row());
            return result;
        }
        finally {
            pool.shutdownNow();
        }
    }

    static double percentile(long[] sortedNanos, double quantile) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
        return sortedNanos[Math.max(0, index)] / 1e6;
    }
}
