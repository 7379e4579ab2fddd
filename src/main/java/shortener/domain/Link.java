package shortener.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import shortener.ShortCode;

/**
 * A short link: its code, where it redirects, and the settings that end its life (expiry,
 * click limit, being disabled). Immutable: a change returns a new link. Whether the click
 * limit is used up is not known here: the count lives in Redis (see the hot path).
 *
 * @param code the code in the short URL
 * @param target where it redirects
 * @param customAlias whether the code was chosen by the creator rather than generated
 * @param createdAt when it was created
 * @param expiresAt when it stops redirecting, or null for never
 * @param maxClicks how many redirects it serves at most, or null for no limit
 * @param permanentRedirect 301 (true) or 302 (false), or null for the configured default
 * @param disabled switched off by its owner
 */
public record Link(ShortCode code, TargetUrl target, boolean customAlias, Instant createdAt, Instant expiresAt,
        Long maxClicks, Boolean permanentRedirect, boolean disabled) {

    public Link {
        if (code == null || target == null || createdAt == null) {
            throw new IllegalArgumentException("A link needs a code, a target and a creation time");
        }
        if (maxClicks != null && maxClicks < 1) {
            throw new InvalidLinkException("maxClicks", "must be at least 1");
        }
    }

    /** A new link, refusing an expiry that is not in the future. */
    public static Link create(ShortCode code, TargetUrl target, boolean customAlias, Instant now, Instant expiresAt,
            Long maxClicks, Boolean permanentRedirect) {
        requireFuture(expiresAt, now);
        return new Link(code, target, customAlias, now, expiresAt, maxClicks, permanentRedirect, false);
    }

    /**
     * The state by expiry and the disabled switch; the click limit is checked on
     * redirect.
     */
    public LinkState stateAt(Instant now) {
        if (disabled) {
            return LinkState.DISABLED;
        }
        return isExpiredAt(now) ? LinkState.EXPIRED : LinkState.ACTIVE;
    }

    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** How long until it expires, if it does. */
    public Optional<Duration> remainingLifeAt(Instant now) {
        return Optional.ofNullable(expiresAt).map(end -> Duration.between(now, end));
    }

    /**
     * Whether it answers 301 rather than 302: its own choice, else the configured
     * default.
     */
    public boolean redirectsPermanently(boolean byDefault) {
        return permanentRedirect != null ? permanentRedirect : byDefault;
    }

    public boolean hasClickLimit() {
        return maxClicks != null;
    }

    public Link expiringAt(Instant newExpiry, Instant now) {
        requireFuture(newExpiry, now);
        return new Link(code, target, customAlias, createdAt, newExpiry, maxClicks, permanentRedirect, disabled);
    }

    public Link limitedTo(Long newMaxClicks) {
        return new Link(code, target, customAlias, createdAt, expiresAt, newMaxClicks, permanentRedirect, disabled);
    }

    public Link switchedOff(boolean off) {
        return new Link(code, target, customAlias, createdAt, expiresAt, maxClicks, permanentRedirect, off);
    }

    private static void requireFuture(Instant expiresAt, Instant now) {
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw new InvalidLinkException("expiresAt", "must be in the future");
        }
    }
}
