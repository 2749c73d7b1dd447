package dev.ferry.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * This database's incarnation token ({@link dev.ferry.protocol.IncarnationToken}), kept in
 * {@code ferry_incarnation}: made by {@code ferry remote init}, replaced by {@code ferry remote reset},
 * sent with every sync so the server can tell this database from another that took its remote id over.
 * The table is created when a token is first written, so remotes made before it existed need no
 * migration (they send none). The SQL is the same on SQLite and H2. Runs in the caller's transaction.
 */
final class Incarnation {
    private Incarnation() {
    }

    /** The token, or null for a remote made before incarnations existed. */
    static String read(Connection c) throws SQLException {
        if (!LocalTables.exists(c, "ferry_incarnation")) {
            return null;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT token FROM ferry_incarnation WHERE id = 1")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static void write(Connection c, String token) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ferry_incarnation (id INTEGER PRIMARY KEY, token VARCHAR(36) NOT NULL)");
            s.execute("DELETE FROM ferry_incarnation");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_incarnation (id, token) VALUES (1, ?)")) {
            ps.setString(1, token);
            ps.executeUpdate();
        }
    }
}
