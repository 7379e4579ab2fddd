package quartet.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for applications the tests start as processes. A port the OS hands out for
 * {@code bind(0)} comes from the ephemeral range, the same range its outgoing connections
 * take their local ports from: between choosing it and the child's web server binding it,
 * seconds later, one of the child's own connections (to PostgreSQL, Kafka, ...) can take
 * it. So pick below that range.
 */
public final class ServerPorts {

    private static final int LOWEST = 10_000;

    private ServerPorts() {
    }

    /** A port nothing listens on now, below the OS's ephemeral range. */
    public static int free() {
        int ephemeralFrom = ephemeralRangeStart();
        // never a privileged port
        int from = Math.max(1024, Math.min(LOWEST, ephemeralFrom / 2));
        var random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = random.nextInt(from, ephemeralFrom);
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(candidate));
                return candidate;
            }
            catch (IOException taken) {
                // in use: try another
            }
        }
        throw new IllegalStateException("No free port between " + from + " and " + ephemeralFrom);
    }

    /** Linux says where its range starts; elsewhere, IANA's 49152. */
    static int ephemeralRangeStart() {
        try {
            // Not Files.readString: on JDK 17 it reads one byte of this zero-sized /proc
            // file.
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        }
        catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }

}
