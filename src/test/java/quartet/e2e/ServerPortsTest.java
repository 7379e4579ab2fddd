package quartet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ServerPortsTest {

    @Test
    void readsWhereTheEphemeralRangeStarts() {
        int start = ServerPorts.ephemeralRangeStart();

        if (Files.exists(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            assertThat(start).isBetween(1024, 65_535);
        }
        else {
            assertThat(start).isEqualTo(49_152);
        }
    }

    @Test
    void givesAFreePortBelowTheEphemeralRange() throws Exception {
        int port = ServerPorts.free();

        assertThat(port).isGreaterThanOrEqualTo(1024).isLessThan(ServerPorts.ephemeralRangeStart());
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

}
