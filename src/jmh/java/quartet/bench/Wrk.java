package quartet.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP rows' load generator: Debian's {@code wrk} (bench/run-all.sh installs it), a C event loop that
 * costs the shared cores far less per request than a Java client would, so the application, not the
 * generator, sets the rate. Closed loop, like {@link Load}: each connection sends its next request when the
 * answer is in.
 */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([0-9.]+)(us|ms|s|m)");
    private static final Pattern UNEXPECTED = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    private Wrk() {
    }

    /** GETs {@code uri} for {@code duration} over {@code connections} connections on two threads. */
    static Load.Result get(String name, URI uri, Map<String, String> headers, int connections, Duration duration) throws Exception {
        return run(name, uri, headers, null, connections, duration);
    }

    /** POSTs the same JSON {@code body} to {@code uri} for {@code duration}, through a wrk script that sets it. */
    static Load.Result post(String name, URI uri, Map<String, String> headers, String body, int connections, Duration duration) throws Exception {
        Path script = Files.createTempFile("wrk-post", ".lua");
        try {
            Files.writeString(script, "wrk.method = \"POST\"\nwrk.body = " + luaString(body) + "\nwrk.headers[\"Content-Type\"] = \"application/json\"\n");
            return run(name, uri, headers, script, connections, duration);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static String luaString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static Load.Result run(String name, URI uri, Map<String, String> headers, Path script, int connections, Duration duration)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + duration.toSeconds() + "s", "--latency"));
        headers.forEach((header, value) -> command.addAll(List.of("-H", header + ": " + value)));
        if (script != null) {
            command.addAll(List.of("-s", script.toString()));
        }
        command.add(uri.toString());
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed on " + name + ":\n" + output);
        }
        Load.Result result = parse(name, output);
        System.out.println("  " + name + " (wrk): " + result.requests() + " requests in " + String.format("%.1f s: ", result.seconds()) + result.row());
        return result;
    }

    /** Reads wrk's summary: a 3xx counts as expected (a redirect is the answer), a 4xx or 5xx or socket error does not. */
    static Load.Result parse(String name, String output) {
        Matcher total = find(TOTAL, output, name);
        long requests = Long.parseLong(total.group(1));
        double seconds = toMillis(Double.parseDouble(total.group(2)), total.group(3)) / 1000;
        long unexpected = 0;
        Matcher statuses = UNEXPECTED.matcher(output);
        if (statuses.find()) {
            unexpected += Long.parseLong(statuses.group(1));
        }
        Matcher errors = ERRORS.matcher(output);
        if (errors.find()) {
            for (int group = 1; group <= 4; group++) {
                unexpected += Long.parseLong(errors.group(group));
            }
        }
        find(RATE, output, name); // present on every complete run; its absence means the format changed
        return new Load.Result(name, requests, unexpected, seconds, percentile(output, "50", name), percentile(output, "99", name));
    }

    private static double percentile(String output, String percent, String name) {
        Matcher line = find(Pattern.compile("^\\s+" + percent + "(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE), output, name);
        return toMillis(Double.parseDouble(line.group(1)), line.group(2));
    }

    private static double toMillis(double value, String unit) {
        return switch (unit) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }

    private static Matcher find(Pattern pattern, String output, String name) {
        Matcher matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("wrk printed no " + pattern + " for " + name + ":\n" + output);
        }
        return matcher;
    }
}
