package quartet.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Fans dashboard events out to every open server-sent event stream. Sending happens on
 * one thread of its own, so a publisher (a transaction's thread, a broker consumer) never
 * waits for a slow browser. New subscribers first get the last events, so the page is
 * never blank. The broker tails start with the first subscriber: an app nobody watches
 * pays nothing for them.
 */
@Component
class DashboardStream implements SmartLifecycle, DisposableBean {

    static final int KEPT = 100;

    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static final long EMITTER_TIMEOUT = Duration.ofMinutes(30).toMillis();

    private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

    private final Deque<DashboardEvent> recent = new ArrayDeque<>();

    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "dashboard-stream");
        thread.setDaemon(true);
        return thread;
    });

    private final ObjectProvider<LiveTail> tails;

    private volatile boolean running;

    DashboardStream(ObjectProvider<LiveTail> tails) {
        this.tails = tails;
        sender.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT.toSeconds(), HEARTBEAT.toSeconds(), TimeUnit.SECONDS);
    }

    SseEmitter subscribe() {
        tails.orderedStream().forEach(LiveTail::start);
        SseEmitter emitter = new SseEmitter(EMITTER_TIMEOUT);
        emitter.onCompletion(() -> emitters.remove(emitter));
        emitter.onTimeout(() -> emitters.remove(emitter));
        emitter.onError(error -> emitters.remove(emitter));
        sender.execute(() -> {
            List<DashboardEvent> backlog;
            synchronized (recent) {
                backlog = new ArrayList<>(recent);
            }
            try {
                emitter.send(SseEmitter.event().comment("connected"));
                for (int i = backlog.size() - 1; i >= 0; i--) {
                    emitter.send(SseEmitter.event().name("event").data(backlog.get(i), MediaType.APPLICATION_JSON));
                }
                emitters.add(emitter);
            }
            catch (IOException | IllegalStateException e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    void publish(DashboardEvent event) {
        synchronized (recent) {
            recent.addFirst(event);
            while (recent.size() > KEPT) {
                recent.removeLast();
            }
        }
        sender.execute(() -> emitters.forEach(
                emitter -> send(emitter, SseEmitter.event().name("event").data(event, MediaType.APPLICATION_JSON))));
    }

    List<DashboardEvent> recent() {
        synchronized (recent) {
            return new ArrayList<>(recent);
        }
    }

    private void heartbeat() {
        emitters.forEach(emitter -> send(emitter, SseEmitter.event().comment("heartbeat")));
    }

    private void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
        try {
            emitter.send(event);
        }
        catch (IOException | IllegalStateException e) {
            // The browser went away; the container completes the emitter, we stop sending
            // to it.
            emitters.remove(emitter);
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /**
     * Ends every open stream before the web server's graceful shutdown (a later phase)
     * waits for open requests: an open dashboard must not hold up Ctrl-C. Browsers
     * reconnect on their own.
     */
    @Override
    public void stop() {
        running = false;
        emitters.forEach(SseEmitter::complete);
        emitters.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void destroy() {
        stop();
        sender.shutdownNow();
    }

}
