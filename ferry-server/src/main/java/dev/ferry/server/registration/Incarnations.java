package dev.ferry.server.registration;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.server.auth.RemoteAccess;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The check every sync passes, under its remote's row lock and before anything is applied: the user
 * may act for the remote id ({@link RemoteAccess}), and the database speaking is the one serving as
 * that id now. A database that was replaced ({@code remote init --replace}, or another copy's
 * {@code remote reset}) gets {@link ErrorCode#REMOTE_REINITIALIZED} saying when and by whom, whatever
 * its progress counter; the progress counter alone could not tell it from an old backup, and would
 * even take it for the new database once both counters happen to match.
 *
 * <p>The rules, for the token the server holds ({@code current}) and the one the remote presents:
 * <ul>
 *   <li>equal (both null for remotes made before incarnations): the progress-counter rules follow;</li>
 *   <li>no current token: the presenting database becomes the id's incarnation (an id registered by an
 *       older client or a first sync, or a consolidated database restored from before the registration);
 *       with progress 0 on an id with history, that is recorded as a re-initialization;</li>
 *   <li>a token the id had before: REMOTE_REINITIALIZED with the moment it was replaced;</li>
 *   <li>a token never seen, with progress 0: a copy that ran {@code ferry remote reset} takes the id
 *       over, recorded as a re-initialization (the previous database is refused from then on);</li>
 *   <li>anything else (no token, or a never-seen one with progress): REMOTE_REINITIALIZED.</li>
 * </ul>
 * Writes run in the caller's transaction, so a sync that fails takes its take-over back. Thread-safe.
 */
public final class Incarnations {
    private final RemoteAccess access;
    private final ConsolidatedDialect dialect;

    public Incarnations(RemoteAccess access, ConsolidatedDialect dialect) {
        this.access = access;
        this.dialect = dialect;
    }

    /**
     * Admits a sync of {@code remoteId} by {@code user} from the database holding {@code presented}
     * (null: made before incarnations) at progress counter {@code progress}, or throws FORBIDDEN or
     * REMOTE_REINITIALIZED. The caller holds the remote's row lock.
     */
    public void admit(Connection c, String user, String remoteId, String presented, long progress) throws SQLException {
        access.requireMayAct(c, user, remoteId);
        RegisteredRemote r = RegisteredRemote.read(c, remoteId, false);
        if (r == null || Objects.equals(r.incarnation(), presented)) {
            return;
        }
        if (r.incarnation() == null) {
            install(c, remoteId, null, presented, user, dialect.currentTime(c), progress == 0 && r.hasHistory());
            return;
        }
        if (presented != null) {
            Retirement gone = retirement(c, remoteId, presented);
            if (gone != null) {
                throw reinitialized(remoteId, "re-initialized", gone.at().toString(), gone.by());
            }
            if (progress == 0) {
                install(c, remoteId, r.incarnation(), presented, user, dialect.currentTime(c), true);
                return;
            }
        }
        throw reinitialized(remoteId, r.reinitializedAt() != null ? "re-initialized" : "registered for another database", r.becameAt(), r.becameBy());
    }

    /** True when {@code token} served as {@code remoteId} before and was replaced. */
    static boolean retired(Connection c, String remoteId, String token) throws SQLException {
        return retirement(c, remoteId, token) != null;
    }

    /**
     * Makes {@code token} the database serving as {@code remoteId}; retires {@code previous} (if any) and,
     * when {@code reinitialization}, records that {@code user} re-initialized the id at {@code at}.
     */
    static void install(Connection c, String remoteId, String previous, String token, String user, Instant at, boolean reinitialization)
            throws SQLException {
        LocalDateTime when = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        if (previous != null) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ferry_remote_retired (remote_id, incarnation, retired_at, retired_by) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, remoteId);
                ps.setString(2, previous);
                ps.setObject(3, when);
                ps.setString(4, user);
                ps.executeUpdate();
            }
        }
        String sql = reinitialization
                ? "UPDATE ferry_remote SET incarnation = ?, reinitialized_at = ?, reinitialized_by = ?, updated_at = ? WHERE remote_id = ?"
                : "UPDATE ferry_remote SET incarnation = ?, updated_at = ? WHERE remote_id = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, token);
            if (reinitialization) {
                ps.setObject(i++, when);
                ps.setString(i++, user);
            }
            ps.setObject(i++, when);
            ps.setString(i, remoteId);
            ps.executeUpdate();
        }
    }

    private record Retirement(Instant at, String by) {
    }

    private static Retirement retirement(Connection c, String remoteId, String token) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT retired_at, retired_by FROM ferry_remote_retired WHERE remote_id = ? AND incarnation = ?")) {
            ps.setString(1, remoteId);
            ps.setString(2, token);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Retirement(rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC), rs.getString(2)) : null;
            }
        }
    }

    private static FerryException reinitialized(String remoteId, String what, String at, String by) {
        return new FerryException(ErrorCode.REMOTE_REINITIALIZED, "remote id " + remoteId + " was " + what + " at " + at + " by user '" + by
                + "': another database serves as " + remoteId + " now, and this one was refused; nothing was changed",
                "this database was replaced (`ferry remote init --replace`, or `ferry remote reset` of another copy); its unsynced changes are kept."
                        + " To make this copy " + remoteId + " again run `ferry remote reset` and sync (the other database is then refused),"
                        + " or create a remote with a new id");
    }
}
