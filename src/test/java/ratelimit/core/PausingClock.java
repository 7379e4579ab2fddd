package ratelimit.core;

import java.util.concurrent.CountDownLatch;

/**
 * A clock that parks one chosen thread at its next reading until the test lets it go, to
 * replay an exact interleaving (the bucket reads the clock between loading its state and
 * its compare-and-set).
 */
final class PausingClock implements NanoClock {

    private final NanoClock time;

    private volatile Thread threadToPause;

    private final CountDownLatch paused = new CountDownLatch(1);

    private final CountDownLatch resume = new CountDownLatch(1);

    PausingClock(NanoClock time) {
        this.time = time;
    }

    void pauseNextReadingBy(Thread thread) {
        threadToPause = thread;
    }

    void awaitPaused() throws InterruptedException {
        paused.await();
    }

    void resume() {
        resume.countDown();
    }

    @Override
    public long nanoTime() {
        if (Thread.currentThread() == threadToPause) {
            threadToPause = null;
            paused.countDown();
            try {
                resume.await();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return time.nanoTime();
    }

}
