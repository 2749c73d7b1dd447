package dev.ferry.dialect.jdbc;

import dev.ferry.core.schema.TableDef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code ferry_key_claim}: per table, the first key the next reserved block may start at. Moved by
 * compare-and-set in the caller's transaction, so of two servers claiming the same start only one
 * succeeds, on any database and in a cluster.
 */
public final class KeyClaims {
    private KeyClaims() {
    }

    /** Where the next block may start, null before the table's first block. */
    public static Long next(Connection c, TableDef table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT next_first FROM ferry_key_claim WHERE table_name = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Moves the claim from {@code expected} (null: none yet) to {@code next}; false when another reservation moved it first. */
    public static boolean claim(Connection c, TableDef table, Long expected, long next) throws SQLException {
        if (expected != null) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_key_claim SET next_first = ? WHERE table_name = ? AND next_first = ?")) {
                ps.setLong(1, next);
                ps.setString(2, table.name());
                ps.setLong(3, expected);
                return ps.executeUpdate() == 1;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_key_claim (table_name, next_first) VALUES (?, ?)")) {
            ps.setString(1, table.name());
            ps.setLong(2, next);
            ps.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw e;
        }
    }
}
