package shortener.repository;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import org.jspecify.annotations.Nullable;
import shortener.ShortCode;
import shortener.domain.Link;

/**
 * This instance's own copy of the links it redirected lately, and of codes it found
 * unknown, so a redirect of a hot link touches no store at all. Every instance drops an
 * entry when any instance changes the link ({@link #invalidate}, fed by
 * {@link LinkChangeChannel}).
 * <p>
 * An entry is only as good as the invalidations that reach this instance, so it is
 * trusted in full only while the change channel is confirmed live: heartbeats arrive at
 * least every {@code silenceLimit}, and the entry was loaded after the last gap in them
 * (a gap may have swallowed an invalidation). Otherwise an entry is used only while it is
 * younger than {@code unconfirmedTtl}. Both bounds are below a second, so a change
 * reaches every redirect within a second even when Redis hangs. Loads race with
 * invalidations: a load takes a {@link Ticket} before it reads the stores, and its result
 * is not kept if an invalidation arrived meanwhile.
 */
public class NearLinkCache {

    /** What the cache holds for a code: the link, or that no link has it (empty). */
    public record Lookup(Optional<Link> link) {
    }

    /** Taken before a load reads the stores: what the cache had seen by then. */
    public record Ticket(long invalidations, long startedNanos) {
    }

    private record Entry(Optional<Link> link, long loadStartedNanos) {
    }

    private final Cache<String, Entry> entries;

    private final AtomicLong invalidations = new AtomicLong();

    private final long silenceLimitNanos;

    private final long unconfirmedTtlNanos;

    private final LongSupplier nanoTime;

    private volatile long lastHeartbeatNanos;

    private volatile long confirmedSinceNanos;

    private volatile boolean heard;

    /**
     * @param maxEntries the most links and unknown codes kept; the least useful go first
     * @param linkTtl how long a link is kept at most, even while every change reaches us
     * @param unknownTtl how long an unknown code is kept at most
     * @param silenceLimit the longest gap between heartbeats that still counts as a live
     * channel
     * @param unconfirmedTtl how long an entry is used while the channel is not confirmed
     * live
     * @param nanoTime the monotonic clock (System::nanoTime)
     */
    public NearLinkCache(long maxEntries, Duration linkTtl, Duration unknownTtl, Duration silenceLimit,
            Duration unconfirmedTtl, LongSupplier nanoTime) {
        this.entries = Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .expireAfter(
                    Expiry.<String, Entry>writing((code, entry) -> entry.link().isPresent() ? linkTtl : unknownTtl))
            .build();
        this.silenceLimitNanos = silenceLimit.toNanos();
        this.unconfirmedTtlNanos = unconfirmedTtl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The cached answer for the code if it may be used now, else null: load it. */
    public @Nullable Lookup lookup(ShortCode code) {
        Entry entry = entries.getIfPresent(code.value());
        if (entry == null || !trusted(entry)) {
            return null;
        }
        return new Lookup(entry.link());
    }

    private boolean trusted(Entry entry) {
        long now = nanoTime.getAsLong();
        if (now - entry.loadStartedNanos() < unconfirmedTtlNanos) {
            return true;
        }
        return confirmedLive(now) && entry.loadStartedNanos() - confirmedSinceNanos >= 0;
    }

    private boolean confirmedLive(long now) {
        return heard && now - lastHeartbeatNanos <= silenceLimitNanos;
    }

    /** Whether entries are trusted beyond {@code unconfirmedTtl} right now. */
    public boolean isConfirmedLive() {
        return confirmedLive(nanoTime.getAsLong());
    }

    public Ticket ticket() {
        return new Ticket(invalidations.get(), nanoTime.getAsLong());
    }

    /**
     * Keeps what a load found (a link, or empty for an unknown code) unless a change
     * arrived since its ticket.
     */
    public void put(ShortCode code, Optional<Link> link, Ticket ticket) {
        if (invalidations.get() != ticket.invalidations()) {
            return;
        }
        entries.put(code.value(), new Entry(link, ticket.startedNanos()));
        // An invalidation between the check and the put may have removed nothing: look
        // again.
        if (invalidations.get() != ticket.invalidations()) {
            entries.invalidate(code.value());
        }
    }

    /** The link changed (or was created or deleted) somewhere: forget it here. */
    public void invalidate(ShortCode code) {
        invalidations.incrementAndGet();
        entries.invalidate(code.value());
    }

    /**
     * A heartbeat came through the change channel: after a gap, only entries loaded from
     * now on are trusted in full.
     */
    public void heartbeat() {
        long now = nanoTime.getAsLong();
        if (!confirmedLive(now)) {
            confirmedSinceNanos = now;
        }
        lastHeartbeatNanos = now;
        heard = true;
    }

    /**
     * The channel was (re)subscribed: whatever was published before may not have reached
     * us.
     */
    public void resubscribed() {
        confirmedSinceNanos = nanoTime.getAsLong();
    }

    public long size() {
        return entries.estimatedSize();
    }

}
