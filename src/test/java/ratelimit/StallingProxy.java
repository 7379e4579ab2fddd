package ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on loopback in front of Redis that can stall like a process under SIGSTOP:
 * connections stay open, nothing is answered, and what was sent meanwhile reaches Redis (and
 * runs) once {@link #resume()} is called. Counts the bytes clients send, so a test can tell
 * whether anything tried to call Redis.
 */
final class StallingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong bytesFromClients = new AtomicLong();
    private final Object gate = new Object();
    private boolean stalled; // guarded by gate

    StallingProxy(String host, int port) {
        this.target = new InetSocketAddress(host, port);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon(this::acceptAll, "stalling-proxy-accept");
    }

    int port() {
        return listener.getLocalPort();
    }

    long bytesFromClients() {
        return bytesFromClients.get();
    }

    void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    void resume() {
        synchronized (gate) {
            stalled = false;
            for (Held held : this.held) {
                held.flush();
            }
            this.held.clear();
        }
    }

    /** Bytes read while stalled, for one direction of one connection: sent on resume, in order. */
    private record Held(OutputStream out, java.io.ByteArrayOutputStream bytes) {

        void flush() {
            try {
                bytes.writeTo(out);
                out.flush();
            }
            catch (IOException e) {
                // the connection is gone
            }
        }
    }

    private final java.util.List<Held> held = new java.util.ArrayList<>();

    @Override
    public void close() throws IOException {
        resume();
        listener.close();
    }

    private void acceptAll() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 2_000);
                daemon(() -> pump(client, upstream, true), "stalling-proxy-up");
                daemon(() -> pump(upstream, client, false), "stalling-proxy-down");
            }
            catch (IOException e) {
                // closed, or one connection failed: the loop condition decides
            }
        }
    }

    /** Keeps reading while stalled (so what clients send is counted) but holds it back until resumed. */
    private void pump(Socket from, Socket to, boolean fromClient) {
        byte[] buffer = new byte[16 * 1024];
        Held pending = null;
        try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (fromClient) {
                    bytesFromClients.addAndGet(read);
                }
                synchronized (gate) {
                    if (stalled) {
                        if (pending == null || !held.contains(pending)) {
                            pending = new Held(out, new java.io.ByteArrayOutputStream());
                            held.add(pending);
                        }
                        pending.bytes().write(buffer, 0, read);
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
        }
        catch (IOException e) {
            // a side closed the connection
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }
}
