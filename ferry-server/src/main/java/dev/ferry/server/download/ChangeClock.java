package dev.ferry.server.download;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The single {@code ferry_clock} row: the last change position handed out (docs/STATE-TABLES.md,
 * "Stamping"). Read plainly by downloads, which see every change stamped up to it in their snapshot;
 * locked by the stamper, which serializes stamping on it.
 */
public final class ChangeClock {
    private ChangeClock() {
    }

    /** The position, as this transaction sees it. */
    public static long read(Connection c) throws SQLException {
        return query(c, "SELECT position FROM ferry_clock WHERE id = 1");
    }

    /** The position, locked until this transaction ends. */
    static long lock(Connection c) throws SQLException {
        return query(c, "SELECT position FROM ferry_clock WHERE id = 1 FOR UPDATE");
    }

    /**
     * Takes a fresh position (the next one {@link ChangeStamper} would hand out) and commits it with the
     * caller's transaction: a change that is not a row change (a partition parameter) gets a position
     * every later download sees, and every earlier download's position is below it.
     */
    public static long advance(Connection c, java.time.Instant now) throws SQLException {
        long next = ChangeStamper.nextPosition(lock(c), now);
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_clock SET position = ? WHERE id = 1")) {
            ps.setLong(1, next);
            ps.executeUpdate();
        }
        return next;
    }

    private static long query(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("ferry_clock has no row; the system tables are damaged", "55000");
            }
            return rs.getLong(1);
        }
    }
}
