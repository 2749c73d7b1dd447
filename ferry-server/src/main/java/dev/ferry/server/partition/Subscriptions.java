package dev.ferry.server.partition;

import dev.ferry.dialect.jdbc.JdbcTransaction;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The publications a remote subscribed to ({@code ferry_remote_subscription}); none recorded = every publication. Stateless. */
public final class Subscriptions {
    private Subscriptions() {
    }

    /** Replaces the remote's subscription with {@code publications} in one transaction. */
    public static void replace(Connection c, String remoteId, List<String> publications) throws SQLException {
        JdbcTransaction.run(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_remote_subscription WHERE remote_id = ?")) {
                ps.setString(1, remoteId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_remote_subscription (remote_id, publication) VALUES (?, ?)")) {
                for (String p : publications) {
                    ps.setString(1, remoteId);
                    ps.setString(2, p);
                    ps.executeUpdate();
                }
            }
        });
    }

    public static List<String> of(Connection c, String remoteId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT publication FROM ferry_remote_subscription WHERE remote_id = ? ORDER BY publication")) {
            ps.setString(1, remoteId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
