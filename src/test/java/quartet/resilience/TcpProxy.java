package quartet.resilience;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on loopback between the application and one service, to stage an
 * outage: {@link #cut()} closes every open connection and the listening socket, so new
 * connections are refused as if the service were gone; {@link #heal()} listens on the
 * same port again. {@link #pause()} stages a hung service instead (as SIGSTOP would):
 * connections stay open and are accepted, but no byte moves until {@link #resume()}, when
 * everything sent meanwhile arrives, late. Counts the bytes clients send
 * ({@link #bytesFromClients()}), read as they arrive, paused or not, so a test can tell
 * whether anything tried to call the service. Public for the modules' own tests. One
 * accept thread, and two pump threads (one per direction) for each connection.
 */
public final class TcpProxy implements AutoCloseable {

    private final String name;

    private final InetSocketAddress target;

    private final int port;

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private final AtomicLong bytesFromClients = new AtomicLong();

    private final Set<Held> held = ConcurrentHashMap.newKeySet();

    private volatile ServerSocket listener;

    private volatile boolean paused;

    public TcpProxy(String name, String targetHost, int targetPort) {
        this.name = name;
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.listener = listen(0);
        this.port = listener.getLocalPort();
        acceptAll(listener);
    }

    public int port() {
        return port;
    }

    /**
     * Every byte a client has sent so far, counted as it arrives, held by
     * {@link #pause()} or not.
     */
    public long bytesFromClients() {
        return bytesFromClients.get();
    }

    /**
     * Holds every byte in both directions, on open and new connections, until
     * {@link #resume()}.
     */
    public synchronized void pause() {
        paused = true;
    }

    /** Lets the held bytes through, in order, and everything after them. */
    public synchronized void resume() {
        paused = false;
        held.forEach(Held::release);
    }

    /** Drops every connection and refuses new ones until {@link #heal()}. */
    synchronized void cut() {
        ServerSocket current = listener;
        listener = null;
        if (current != null) {
            closeQuietly(current);
        }
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    synchronized void heal() {
        if (listener == null) {
            listener = listen(port);
            acceptAll(listener);
        }
    }

    @Override
    public void close() {
        resume();
        cut();
    }

    private ServerSocket listen(int onPort) {
        try {
            ServerSocket socket = new ServerSocket();
            // The port was ours a moment ago: its old connections may linger in
            // TIME_WAIT.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 128);
            return socket;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptAll(ServerSocket server) {
        Thread accepting = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connect(client);
                }
                catch (IOException e) {
                    // closed by cut(), or one failed accept: the loop condition decides
                }
            }
        }, "proxy-" + name + "-accept");
        accepting.setDaemon(true);
        accepting.start();
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 2_000);
        }
        catch (IOException e) {
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        synchronized (this) {
            if (listener == null) { // cut while this connection was being set up
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
        }
        pump(client, upstream, "up", bytesFromClients);
        pump(upstream, client, "down", new AtomicLong());
    }

    private void pump(Socket from, Socket to, String direction, AtomicLong bytesRead) {
        Thread pumping = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            Held forwarded = null;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                forwarded = new Held(out);
                held.add(forwarded);
                int read;
                // Reading goes on while paused, so that the bytes are counted and the
                // sender never blocks.
                while ((read = in.read(buffer)) >= 0) {
                    bytesRead.addAndGet(read);
                    forwarded.forward(buffer, read);
                }
            }
            catch (SocketException e) {
                // the other side or cut() closed the connection
            }
            catch (IOException e) {
                // same: the connection is gone
            }
            finally {
                if (forwarded != null) {
                    held.remove(forwarded);
                }
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "proxy-" + name + "-" + direction);
        pumping.setDaemon(true);
        pumping.start();
    }

    /**
     * One direction of one connection: its output, and what {@link #pause()} holds back
     * from it.
     */
    private final class Held {

        private final OutputStream out;

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Held(OutputStream out) {
            this.out = out;
        }

        synchronized void forward(byte[] buffer, int length) throws IOException {
            if (paused) {
                bytes.write(buffer, 0, length);
                return;
            }
            release(); // what was held goes first, in order
            out.write(buffer, 0, length);
            out.flush();
        }

        synchronized void release() {
            if (bytes.size() == 0) {
                return;
            }
            try {
                bytes.writeTo(out);
                out.flush();
            }
            catch (IOException e) {
                // the connection is gone; so are its held bytes
            }
            bytes.reset();
        }

    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception e) {
            // already closed
        }
    }

}
