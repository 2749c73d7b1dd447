package dev.ferry.client;

import dev.ferry.protocol.downloadfile.SigningKeys;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

/**
 * The public key a remote requires download files to be signed with, kept in {@code ferry_trusted_key}
 * (created when a key is first trusted, so remotes made before this table existed need no migration).
 * The SQL is the same on SQLite and H2. Runs in the caller's transaction.
 */
final class TrustedKey {
    private TrustedKey() {
    }

    /** The trusted key, or null when the remote accepts unsigned files. */
    static PublicKey read(Connection c) throws SQLException {
        if (!LocalTables.exists(c, "ferry_trusted_key")) {
            return null;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT public_key FROM ferry_trusted_key WHERE id = 1")) {
            return rs.next() ? SigningKeys.publicKey(Base64.getDecoder().decode(rs.getString(1)), "ferry_trusted_key") : null;
        }
    }

    /** Trusts {@code key} from now on (replacing an earlier one); null stops requiring signatures. */
    static void write(Connection c, PublicKey key) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ferry_trusted_key (id INTEGER PRIMARY KEY, public_key VARCHAR(1000) NOT NULL)");
            s.execute("DELETE FROM ferry_trusted_key");
        }
        if (key != null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_trusted_key (id, public_key) VALUES (1, ?)")) {
                ps.setString(1, Base64.getEncoder().encodeToString(key.getEncoded()));
                ps.executeUpdate();
            }
        }
    }
}
