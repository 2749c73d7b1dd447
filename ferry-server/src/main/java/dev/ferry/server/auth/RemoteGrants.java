package dev.ferry.server.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The administrator's side of {@link RemoteAccess}: lets users other than the owner act for a remote
 * id ({@code ferry remote grant}) and takes that back ({@code ferry remote revoke}), in
 * {@code ferry_remote_grant}. Both name an unknown remote id ({@code REMOTE_NOT_FOUND}) or user
 * ({@code USER_NOT_FOUND}) instead of storing a grant nobody can use. Idempotent; thread-safe.
 */
public final class RemoteGrants {
    private final ConsolidatedDatabase db;

    public RemoteGrants(ConsolidatedDatabase db) {
        this.db = db;
    }

    /** What {@link #grant} found. */
    public enum Granted {
        GRANTED,
        /** The user had the grant already. */
        ALREADY_GRANTED,
        /** The user owns the remote id: nothing to grant. */
        OWNER
    }

    public Granted grant(String remoteId, String user) {
        try (Connection c = db.connection()) {
            String owner = knownOwner(c, remoteId, user);
            if (owner.equals(user)) {
                return Granted.OWNER;
            }
            if (granted(c, remoteId, user)) {
                return Granted.ALREADY_GRANTED;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_remote_grant (remote_id, user_name, granted_at) VALUES (?, ?, ?)")) {
                ps.setString(1, remoteId);
                ps.setString(2, user);
                ps.setObject(3, LocalDateTime.ofInstant(db.dialect().currentTime(c), ZoneOffset.UTC));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (granted(c, remoteId, user)) {
                    return Granted.ALREADY_GRANTED; // a concurrent grant of the same pair won
                }
                throw e;
            }
            return Granted.GRANTED;
        } catch (SQLException e) {
            throw SqlErrors.wrap("granting remote id " + remoteId + " to user '" + user + "'", db.dialect(), e);
        }
    }

    /** Removes the user's grant; false when there was none. The owner's right is not a grant: USAGE. */
    public boolean revoke(String remoteId, String user) {
        try (Connection c = db.connection()) {
            String owner = knownOwner(c, remoteId, user);
            if (owner.equals(user)) {
                throw new FerryException(ErrorCode.USAGE, "user '" + user + "' owns remote id " + remoteId + ": ownership is not a grant and cannot be revoked",
                        "revoke only users added with `ferry remote grant`");
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_remote_grant WHERE remote_id = ? AND user_name = ?")) {
                ps.setString(1, remoteId);
                ps.setString(2, user);
                return ps.executeUpdate() > 0;
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("revoking remote id " + remoteId + " from user '" + user + "'", db.dialect(), e);
        }
    }

    private static String knownOwner(Connection c, String remoteId, String user) throws SQLException {
        String owner = RemoteAccess.owner(c, remoteId);
        if (owner == null) {
            throw new FerryException(ErrorCode.REMOTE_NOT_FOUND, "remote id " + remoteId + " is not registered in this consolidated database",
                    "a remote id is registered by `ferry remote init` (or by its first sync); check the id and --consolidated");
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ferry_user WHERE user_name = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new FerryException(ErrorCode.USER_NOT_FOUND, "user '" + user + "' does not exist in this consolidated database",
                            "add it with `ferry user add --name " + user + "`");
                }
            }
        }
        return owner;
    }

    private static boolean granted(Connection c, String remoteId, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ferry_remote_grant WHERE remote_id = ? AND user_name = ?")) {
            ps.setString(1, remoteId);
            ps.setString(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
