package dev.ferry.server.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Who may act for a remote id (issue 10, defect 4): the user it is registered to, its owner
 * ({@code ferry_remote.user_name}), and the users an administrator granted it to
 * ({@code ferry_remote_grant}, {@code ferry remote grant}). A remote id nobody registered yet may be
 * claimed by any authenticated user. Everyone else is refused with {@link ErrorCode#FORBIDDEN}, which
 * every caller raises before it writes anything. Only the owner may re-initialize an id.
 *
 * <p>Reads run in the caller's transaction, so a check made under the remote's row lock cannot be
 * overtaken by a concurrent claim of the same id. Messages never name another user. Stateless and
 * thread-safe.
 */
public final class RemoteAccess {
    private final ConsolidatedDatabase db;

    public RemoteAccess(ConsolidatedDatabase db) {
        this.db = db;
    }

    /** How a user stands towards a remote id. */
    public enum Standing {
        /** Nobody registered the id yet: the user may claim it. */
        UNREGISTERED,
        OWNER,
        GRANTEE,
        /** Registered to someone else, not granted: FORBIDDEN. */
        STRANGER;

        public boolean mayAct() {
            return this != STRANGER;
        }
    }

    public Standing standing(Connection c, String user, String remoteId) throws SQLException {
        String owner = owner(c, remoteId);
        if (owner == null) {
            return Standing.UNREGISTERED;
        }
        if (owner.equals(user)) {
            return Standing.OWNER;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ferry_remote_grant WHERE remote_id = ? AND user_name = ?")) {
            ps.setString(1, remoteId);
            ps.setString(2, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Standing.GRANTEE : Standing.STRANGER;
            }
        }
    }

    /** Returns normally when {@code user} may sync (or acknowledge downloads of) {@code remoteId}; FORBIDDEN otherwise. */
    public void requireMayAct(Connection c, String user, String remoteId) throws SQLException {
        if (!standing(c, user, remoteId).mayAct()) {
            throw new FerryException(ErrorCode.FORBIDDEN, "user '" + user + "' may not act for remote id " + remoteId
                    + ": it is registered to another user; nothing was changed",
                    "an administrator can allow it with `ferry remote grant --remote " + remoteId + " --user " + user
                            + "`; otherwise use a remote id of your own");
        }
    }

    /** {@link #requireMayAct(Connection, String, String)} on a connection of its own: the early check before a request is read. */
    public void requireMayAct(String user, String remoteId) {
        try (Connection c = db.connection()) {
            requireMayAct(c, user, remoteId);
        } catch (SQLException e) {
            throw SqlErrors.wrap("checking who may act for remote id " + remoteId, db.dialect(), e);
        }
    }

    /** Returns normally when {@code user} may make another database this (known) remote id; FORBIDDEN otherwise. */
    public void requireMayReplace(Connection c, String user, String remoteId) throws SQLException {
        Standing s = standing(c, user, remoteId);
        if (s != Standing.OWNER && s != Standing.UNREGISTERED) {
            throw new FerryException(ErrorCode.FORBIDDEN, "user '" + user + "' may not re-initialize remote id " + remoteId
                    + ": only the user it is registered to may replace it; nothing was changed",
                    "`ferry remote grant` lets other users sync a remote id, not replace it: use a new --remote-id");
        }
    }

    /** The user {@code remoteId} is registered to, or null when nobody registered it. */
    static String owner(Connection c, String remoteId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT user_name FROM ferry_remote WHERE remote_id = ?")) {
            ps.setString(1, remoteId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
