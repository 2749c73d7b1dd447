package dev.ferry.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The bench's one table, {@code items(id, name, qty, price, updated)}, and its rows: row {@code id} of
 * version {@code v} is the same everywhere, so every side can be checked against the others. Writes go
 * through plain JDBC with default settings, as an application's would.
 */
final class Items {
    static final String TABLE = "items";
    static final int BATCH = 1000;
    /** How a SQLite remote stores TIMESTAMP values (docs: README "Types"). */
    static final DateTimeFormatter REMOTE_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final LocalDateTime EPOCH = LocalDateTime.of(2024, 2, 29, 12, 0);

    private Items() {
    }

    static String name(long id, int version) {
        return "item " + id + (version == 0 ? "" : " v" + version);
    }

    static int qty(long id, int version) {
        return (int) ((id + version) % 1000);
    }

    static BigDecimal price(long id, int version) {
        return BigDecimal.valueOf((id * 7 + version) % 1_000_000, 2);
    }

    static LocalDateTime updated(long id, int version) {
        return EPOCH.plusSeconds(id).plusNanos((id % 1_000_000) * 1000 + version * 1000L);
    }

    /** Inserts rows {@code first..first+count-1} on a SQLite remote (values as the remote stores them), committing every {@link #BATCH}. */
    static void insertRemote(Connection c, long first, int count, int version) throws SQLException {
        write(c, "INSERT INTO " + TABLE + " (id, name, qty, price, updated) VALUES (?, ?, ?, ?, ?)", first, count, (ps, id) -> {
            ps.setLong(1, id);
            ps.setString(2, name(id, version));
            ps.setInt(3, qty(id, version));
            ps.setString(4, price(id, version).toPlainString());
            ps.setString(5, REMOTE_TIMESTAMP.format(updated(id, version)));
        });
    }

    /** Updates every column but the key of rows {@code first..} on a SQLite remote to {@code version}. */
    static void updateRemote(Connection c, long first, int count, int version) throws SQLException {
        write(c, "UPDATE " + TABLE + " SET name = ?, qty = ?, price = ?, updated = ? WHERE id = ?", first, count, (ps, id) -> {
            ps.setString(1, name(id, version));
            ps.setInt(2, qty(id, version));
            ps.setString(3, price(id, version).toPlainString());
            ps.setString(4, REMOTE_TIMESTAMP.format(updated(id, version)));
            ps.setLong(5, id);
        });
    }

    /** Deletes rows {@code first..first+count-1} (any database). */
    static void delete(Connection c, long first, int count) throws SQLException {
        write(c, "DELETE FROM " + TABLE + " WHERE id = ?", first, count, (ps, id) -> ps.setLong(1, id));
    }

    /** Inserts rows into a consolidated (typed) table, committing every {@link #BATCH}. */
    static void insertTyped(Connection c, String table, long first, int count, int version) throws SQLException {
        write(c, "INSERT INTO " + table + " (id, name, qty, price, updated) VALUES (?, ?, ?, ?, ?)", first, count, (ps, id) -> {
            ps.setLong(1, id);
            ps.setString(2, name(id, version));
            ps.setInt(3, qty(id, version));
            ps.setBigDecimal(4, price(id, version));
            ps.setTimestamp(5, Timestamp.valueOf(updated(id, version)));
        });
    }

    /** Updates rows of a consolidated (typed) table to {@code version}, committing every {@link #BATCH}. */
    static void updateTyped(Connection c, String table, long first, int count, int version) throws SQLException {
        write(c, "UPDATE " + table + " SET name = ?, qty = ?, price = ?, updated = ? WHERE id = ?", first, count, (ps, id) -> {
            ps.setString(1, name(id, version));
            ps.setInt(2, qty(id, version));
            ps.setBigDecimal(3, price(id, version));
            ps.setTimestamp(4, Timestamp.valueOf(updated(id, version)));
            ps.setLong(5, id);
        });
    }

    static long count(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE + (where.isEmpty() ? "" : " WHERE " + where))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Fails the scenario unless {@code where} matches exactly {@code expected} rows: a fast wrong answer is no result. */
    static void expect(Connection c, String side, String where, long expected) throws SQLException {
        long n = count(c, where);
        if (n != expected) {
            throw new BenchFailure(side + " has " + n + " rows" + (where.isEmpty() ? "" : " where " + where) + ", expected " + expected);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps, long id) throws SQLException;
    }

    private static void write(Connection c, String sql, long first, int count, Binder binder) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (long id = first; id < first + count; id++) {
                binder.bind(ps, id);
                ps.addBatch();
                if ((id - first + 1) % BATCH == 0) {
                    ps.executeBatch();
                    c.commit();
                }
            }
            ps.executeBatch();
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
