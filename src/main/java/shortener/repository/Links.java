package shortener.repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import shortener.ShortCode;
import shortener.domain.Caller;
import shortener.domain.Link;
import shortener.domain.TargetUrl;

/**
 * The links in PostgreSQL. Table names are schema-qualified: the connection's search path
 * is public.
 */
@Repository
public class Links {

    private static final String COLUMNS = "code, target_url, custom_alias, created_at, expires_at, max_clicks, permanent_redirect, disabled";

    private final JdbcClient jdbc;

    public Links(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts a new link owned by the client; a taken code fails with
     * DuplicateKeyException (the primary key).
     */
    public void insert(Link link, String owner) {
        jdbc.sql("insert into shortener.links (" + COLUMNS + ", owner) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            .params(link.code().value(), link.target().toString(), link.customAlias(), timestamp(link.createdAt()),
                    timestamp(link.expiresAt()), link.maxClicks(), link.permanentRedirect(), link.disabled(), owner)
            .update();
    }

    /**
     * The link whoever owns it: for the public redirect path only, which has no caller.
     */
    public Optional<Link> find(ShortCode code) {
        return jdbc.sql("select " + COLUMNS + " from shortener.links where code = ?")
            .param(code.value())
            .query(Links::link)
            .optional();
    }

    /** The link if the caller may see it: its owner's, or any for an admin. */
    public Optional<Link> find(ShortCode code, Caller caller) {
        return jdbc.sql("select " + COLUMNS + " from shortener.links where code = :code" + ownedBy(caller))
            .param("code", code.value())
            .params(ownerParams(caller))
            .query(Links::link)
            .optional();
    }

    /** The caller's links (every link for an admin), newest first. */
    public List<Link> page(int page, int size, Caller caller) {
        return jdbc
            .sql("select " + COLUMNS + " from shortener.links where true" + ownedBy(caller)
                    + " order by created_at desc, code limit :size offset :offset")
            .param("size", size)
            .param("offset", (long) page * size)
            .params(ownerParams(caller))
            .query(Links::link)
            .list();
    }

    public long count(Caller caller) {
        return jdbc.sql("select count(*) from shortener.links where true" + ownedBy(caller))
            .params(ownerParams(caller))
            .query(Long.class)
            .single();
    }

    /**
     * Stores the mutable settings of an existing link; false when it no longer exists or
     * is not the caller's.
     */
    public boolean update(Link link, Caller caller) {
        return jdbc.sql(
                "update shortener.links set expires_at = :expiresAt, max_clicks = :maxClicks, disabled = :disabled where code = :code"
                        + ownedBy(caller))
            .param("expiresAt", timestamp(link.expiresAt()))
            .param("maxClicks", link.maxClicks())
            .param("disabled", link.disabled())
            .param("code", link.code().value())
            .params(ownerParams(caller))
            .update() == 1;
    }

    /**
     * Deletes the link and its statistics; false when there was none, or it is not the
     * caller's.
     */
    public boolean delete(ShortCode code, Caller caller) {
        return jdbc.sql("delete from shortener.links where code = :code" + ownedBy(caller))
            .param("code", code.value())
            .params(ownerParams(caller))
            .update() == 1;
    }

    /**
     * Who owns the link, or empty when there is none (for tests and operators; the API
     * never shows it).
     */
    public Optional<String> ownerOf(ShortCode code) {
        return jdbc.sql("select owner from shortener.links where code = ?")
            .param(code.value())
            .query(String.class)
            .optional();
    }

    /**
     * The owner condition: none for an admin, so the query plans as if owners did not
     * exist.
     */
    private static String ownedBy(Caller caller) {
        return caller.admin() ? "" : " and owner = :owner";
    }

    private static Map<String, Object> ownerParams(Caller caller) {
        return caller.admin() ? Map.of() : Map.of("owner", caller.client());
    }

    private static Link link(ResultSet row, int number) throws SQLException {
        long maxClicks = row.getLong("max_clicks");
        Long limit = row.wasNull() ? null : maxClicks;
        boolean permanent = row.getBoolean("permanent_redirect");
        Boolean permanentRedirect = row.wasNull() ? null : permanent;
        return new Link(ShortCode.of(row.getString("code")), TargetUrl.parse(row.getString("target_url")),
                row.getBoolean("custom_alias"), instant(row.getTimestamp("created_at")),
                instant(row.getTimestamp("expires_at")), limit, permanentRedirect, row.getBoolean("disabled"));
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

}
