package shortener.repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import shortener.ShortCode;
import shortener.domain.Link;
import shortener.domain.TargetUrl;

/** The links in PostgreSQL. Table names are schema-qualified: the connection's search path is public. */
@Repository
public class Links {

    private static final String COLUMNS = "code, target_url, custom_alias, created_at, expires_at, max_clicks, permanent_redirect, disabled";

    private final JdbcClient jdbc;

    public Links(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts a new link; a taken code fails with DuplicateKeyException (the primary key). */
    public void insert(Link link) {
        jdbc.sql("insert into shortener.links (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)")
            .params(link.code().value(), link.target().toString(), link.customAlias(), timestamp(link.createdAt()),
                    timestamp(link.expiresAt()), link.maxClicks(), link.permanentRedirect(), link.disabled())
            .update();
    }

    public Optional<Link> find(ShortCode code) {
        return jdbc.sql("select " + COLUMNS + " from shortener.links where code = ?").param(code.value()).query(Links::link).optional();
    }

    /** Newest first. */
    public List<Link> page(int page, int size) {
        return jdbc.sql("select " + COLUMNS + " from shortener.links order by created_at desc, code limit ? offset ?")
            .params(size, (long) page * size)
            .query(Links::link)
            .list();
    }

    public long count() {
        return jdbc.sql("select count(*) from shortener.links").query(Long.class).single();
    }

    /** Stores the mutable settings of an existing link; false when it no longer exists. */
    public boolean update(Link link) {
        return jdbc.sql("update shortener.links set expires_at = ?, max_clicks = ?, disabled = ? where code = ?")
            .params(timestamp(link.expiresAt()), link.maxClicks(), link.disabled(), link.code().value())
            .update() == 1;
    }

    /** Deletes the link and its statistics; false when there was none. */
    public boolean delete(ShortCode code) {
        return jdbc.sql("delete from shortener.links where code = ?").param(code.value()).update() == 1;
    }

    private static Link link(ResultSet row, int number) throws SQLException {
        long maxClicks = row.getLong("max_clicks");
        Long limit = row.wasNull() ? null : maxClicks;
        boolean permanent = row.getBoolean("permanent_redirect");
        Boolean permanentRedirect = row.wasNull() ? null : permanent;
        return new Link(ShortCode.of(row.getString("code")), TargetUrl.parse(row.getString("target_url")),
                row.getBoolean("custom_alias"), instant(row.getTimestamp("created_at")), instant(row.getTimestamp("expires_at")),
                limit, permanentRedirect, row.getBoolean("disabled"));
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
