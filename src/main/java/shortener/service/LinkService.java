package shortener.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import shortener.LinkCreated;
import shortener.ShortCode;
import shortener.ShortenerSettings;
import shortener.domain.AliasTakenException;
import shortener.domain.Aliases;
import shortener.domain.Caller;
import shortener.domain.CodeGenerator;
import shortener.domain.InvalidLinkException;
import shortener.domain.Link;
import shortener.domain.LinkNotFoundException;
import shortener.domain.LinkStatistics;
import shortener.domain.TargetPolicy;
import shortener.domain.TargetUrl;
import shortener.repository.ClickLimits;
import shortener.repository.ClickStatistics;
import shortener.repository.Links;

/**
 * Managing links: create, read, list, change, delete, statistics. A link belongs to the
 * client that created it: every method takes the caller, and the repository's queries
 * filter by owner, so another client's link is not found (an admin's queries have no
 * owner filter). Every change reaches the redirect path of every instance after it
 * committed ({@link LinkInvalidations}); redirects read no owner.
 */
@Service
public class LinkService {

    private static final Instant LATEST_EXPIRY = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * Generated codes collide about never (1.7 x 10^12 codes); a few attempts are plenty.
     */
    private static final int CODE_ATTEMPTS = 5;

    private final Links links;

    private final ClickStatistics statistics;

    private final LinkInvalidations invalidations;

    private final ClickLimits limits;

    private final RedisAvailability redis;

    private final Aliases aliases;

    private final CodeGenerator codes;

    private final TargetPolicy targets;

    private final TransactionTemplate transaction;

    private final ApplicationEventPublisher events;

    private final ShortenerSettings settings;

    private final Clock clock;

    LinkService(Links links, ClickStatistics statistics, LinkInvalidations invalidations, ClickLimits limits,
            RedisAvailability redis, Aliases aliases, CodeGenerator codes, TargetPolicy targets,
            TransactionTemplate transaction, ApplicationEventPublisher events, ShortenerSettings settings,
            Clock clock) {
        this.links = links;
        this.statistics = statistics;
        this.invalidations = invalidations;
        this.limits = limits;
        this.redis = redis;
        this.aliases = aliases;
        this.codes = codes;
        this.targets = targets;
        this.transaction = transaction;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Creates the caller's link and publishes {@link LinkCreated} in the same
     * transaction; 409 when the alias is taken, by anyone (codes are one namespace), and
     * the answer says no more.
     */
    public Link create(NewLink request, Caller caller) {
        TargetUrl target = TargetUrl.parse(request.targetUrl());
        targets.check(target);
        Instant now = clock.instant();
        Instant expiresAt = expiry(request.expiresAt(), request.ttl(), now);
        if (request.alias() != null) {
            ShortCode alias = aliases.validate(request.alias());
            try {
                return inserted(Link.create(alias, target, true, now, expiresAt, request.maxClicks(),
                        request.permanentRedirect()), caller);
            }
            catch (DuplicateKeyException e) {
                throw new AliasTakenException(alias);
            }
        }
        for (int attempt = 1;; attempt++) {
            try {
                return inserted(Link.create(codes.next(), target, false, now, expiresAt, request.maxClicks(),
                        request.permanentRedirect()), caller);
            }
            catch (DuplicateKeyException e) {
                if (attempt == CODE_ATTEMPTS) {
                    throw new IllegalStateException("No free code after " + CODE_ATTEMPTS + " attempts", e);
                }
            }
        }
    }

    /**
     * Each attempt in a transaction of its own: PostgreSQL aborts a transaction on a
     * duplicate key.
     */
    private Link inserted(Link link, Caller caller) {
        transaction.executeWithoutResult(status -> {
            links.insert(link, caller.client());
            events.publishEvent(new LinkCreated(link.code(), link.target().value(), link.createdAt(), link.expiresAt(),
                    link.maxClicks(), caller.client()));
        });
        // A redirect may have cached the code as unknown just before.
        invalidations.changed(link.code());
        return link;
    }

    /** The link if it is the caller's (any link for an admin); 404 otherwise. */
    public Link find(ShortCode code, Caller caller) {
        return links.find(code, caller).orElseThrow(() -> new LinkNotFoundException(code));
    }

    /** The caller's links, or every link for an admin. */
    public LinkPage page(int page, int size, Caller caller) {
        return new LinkPage(links.page(page, size, caller), page, size, links.count(caller));
    }

    /**
     * Applies the changes; the caches forget the link, so the next redirect on any
     * instance reads the new settings.
     */
    public Link change(ShortCode code, LinkChanges changes, Caller caller) {
        Instant now = clock.instant();
        Link link = find(code, caller);
        if (Boolean.TRUE.equals(changes.neverExpires())) {
            if (changes.expiresAt() != null || changes.ttl() != null) {
                throw new InvalidLinkException("neverExpires", "cannot be combined with expiresAt or ttl");
            }
            link = link.expiringAt(null, now);
        }
        Instant expiresAt = expiry(changes.expiresAt(), changes.ttl(), now);
        if (expiresAt != null) {
            link = link.expiringAt(expiresAt, now);
        }
        if (Boolean.TRUE.equals(changes.unlimitedClicks())) {
            if (changes.maxClicks() != null) {
                throw new InvalidLinkException("unlimitedClicks", "cannot be combined with maxClicks");
            }
            link = link.limitedTo(null);
        }
        if (changes.maxClicks() != null) {
            link = link.limitedTo(changes.maxClicks());
        }
        if (changes.disabled() != null) {
            link = link.switchedOff(changes.disabled());
        }
        if (!links.update(link, caller)) {
            throw new LinkNotFoundException(code);
        }
        invalidations.changed(code);
        return link;
    }

    /** Deletes the link, its statistics and its click counter. */
    public void delete(ShortCode code, Caller caller) {
        if (!links.delete(code, caller)) {
            throw new LinkNotFoundException(code);
        }
        invalidations.changed(code);
        if (!redis.worthTrying()) {
            // Left to its idle TTL: an outage slows no delete (a link re-created with
            // this alias meanwhile may start counted).
            return;
        }
        try {
            limits.forget(code);
            redis.succeeded();
        }
        catch (DataAccessException e) {
            redis.failed(e);
        }
    }

    /**
     * The statistics of the caller's link: they belong to the link's owner as the link
     * does.
     */
    public LinkStatistics statistics(ShortCode code, Caller caller) {
        find(code, caller);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return statistics.of(code, today.minusDays(settings.statsDays() - 1L), settings.topReferrers());
    }

    private static Instant expiry(Instant expiresAt, Duration ttl, Instant now) {
        if (expiresAt != null && ttl != null) {
            throw new InvalidLinkException("ttl", "give either expiresAt or ttl, not both");
        }
        if (ttl != null) {
            if (ttl.isNegative() || ttl.isZero()) {
                throw new InvalidLinkException("ttl", "must be positive");
            }
            // A huge ttl overflows Instant arithmetic, and PostgreSQL cannot store years
            // beyond 294276.
            if (ttl.compareTo(Duration.between(now, LATEST_EXPIRY)) > 0) {
                throw new InvalidLinkException("ttl", "must end before the year 10000");
            }
            return now.plus(ttl);
        }
        if (expiresAt != null && expiresAt.isAfter(LATEST_EXPIRY)) {
            throw new InvalidLinkException("expiresAt", "must be before the year 10000");
        }
        return expiresAt;
    }

}
