package dev.ferry.server.registration;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.LockWaitLimit;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.protocol.RemoteIds;
import dev.ferry.protocol.Registration;
import dev.ferry.protocol.RegistrationRequest;
import dev.ferry.protocol.CredentialGrant;
import dev.ferry.server.auth.RemoteAccess;
import dev.ferry.server.auth.RemoteCredentials;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.partition.Subscriptions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Registers remote ids ({@code POST /v1/remotes}, called by {@code ferry remote init} before it creates
 * anything locally). An unknown id becomes the caller's, served by the requesting database. A known id
 * is refused with {@code REMOTE_ID_IN_USE} (issue 10, defect 5), naming its owner only to users who may
 * act for it; with {@code replace}, its owner makes the requesting database the id: the server records
 * when and by whom, retires the previous database's incarnation (it is refused from then on) and forgets
 * the id's sync state, as a sync at progress 0 would. One transaction under the remote's row lock, so a
 * replacement waits for a running sync of that id (and gives up as {@code SYNC_IN_PROGRESS}). Both answers
 * carry the remote's new credential ({@link RemoteCredentials}), issued in the same transaction. Thread-safe.
 */
public final class RemoteRegistry {

    private final ConsolidatedDatabase db;
    private final RemoteAccess access;
    private final RemoteCredentials credentials;
    private final Duration lockTimeout;

    public RemoteRegistry(ConsolidatedDatabase db, RemoteAccess access, RemoteCredentials credentials, Duration lockTimeout) {
        this.db = db;
        this.access = access;
        this.credentials = credentials;
        this.lockTimeout = lockTimeout;
    }

    /** Registers (or with {@code replace}, re-initializes) the request's remote id for {@code user}, already authenticated. */
    public Registration register(String user, RegistrationRequest req, List<String> subscribed) {
        validateRemoteId(req.remoteId());
        // The subscription in the same transaction: a registration either happens whole or not at all.
        return inTransaction(req.remoteId(), "`ferry remote init`", c -> {
            Registration r = registerIn(c, user, req);
            Subscriptions.replace(c, r.remoteId(), subscribed);
            return r;
        });
    }

    /**
     * Issues {@code user} (already authenticated by password) a new credential for {@code remoteId},
     * revoking the id's earlier ones ({@code ferry remote passwd}). The owner and grantees may; anyone
     * else is FORBIDDEN. An id nobody registered here (a remote moved with {@code remote reset --server})
     * becomes the user's, as its first sync would have made it.
     */
    public CredentialGrant renewCredential(String user, String remoteId) {
        validateRemoteId(remoteId);
        return inTransaction(remoteId, "`ferry remote passwd`", c -> {
            Instant now = db.dialect().currentTime(c);
            if (RegisteredRemote.read(c, remoteId, true) == null) {
                insert(c, remoteId, user, null, now);
            } else {
                access.requireMayAct(c, user, remoteId);
            }
            return new CredentialGrant(remoteId, credentials.issue(c, remoteId, user, now, true));
        });
    }

    /** Work that changes a remote id's registration, in one transaction under its row lock. */
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T inTransaction(String remoteId, String command, Work<T> work) {
        ConsolidatedDialect dialect = db.dialect();
        // The limit is closed (the session's own setting restored) before the connection returns to the pool.
        try (Connection c = db.connection(); LockWaitLimit lockWaits = dialect.lockWaitLimit(c, lockTimeout)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            // Twice at most: two first registrations of one id race to insert it, and the loser then finds it known.
            for (int attempt = 1; ; attempt++) {
                try {
                    lockWaits.apply();
                    T r = work.run(c);
                    c.commit();
                    return r;
                } catch (SQLException e) {
                    c.rollback();
                    if (dialect.classify(e).kind() == SqlFailure.Kind.RETRY_TRANSACTION) {
                        throw new FerryException(ErrorCode.SYNC_IN_PROGRESS, "a sync of remote " + remoteId + " is still running on the server",
                                "wait for it to finish and run " + command + " again");
                    }
                    if (attempt > 1 || RegisteredRemote.read(c, remoteId, false) == null) {
                        throw e;
                    }
                    c.rollback();
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("registering remote id " + remoteId, dialect, e);
        }
    }

    private Registration registerIn(Connection c, String user, RegistrationRequest req) throws SQLException {
        String id = req.remoteId();
        RegisteredRemote known = RegisteredRemote.read(c, id, true);
        Instant now = db.dialect().currentTime(c);
        if (known == null) {
            insert(c, id, user, req.incarnation(), now);
            return new Registration(id, user, false, credentials.issue(c, id, user, now, true));
        }
        RemoteAccess.Standing standing = access.standing(c, user, id);
        if (!req.replace()) {
            throw inUse(id, known, standing);
        }
        access.requireMayReplace(c, user, id);
        if (req.incarnation().equals(known.incarnation()) || Incarnations.retired(c, id, req.incarnation())) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "incarnation " + req.incarnation() + " already served as remote id " + id,
                    "every `ferry remote init` makes a new one: run it again");
        }
        Incarnations.install(c, id, known.incarnation(), req.incarnation(), user, now, true);
        forgetSyncState(c, id, now);
        // The replaced database keeps its credential: it is refused as REMOTE_REINITIALIZED, which says what happened.
        return new Registration(id, known.owner(), true, credentials.issue(c, id, user, now, false));
    }

    private static FerryException inUse(String id, RegisteredRemote known, RemoteAccess.Standing standing) {
        if (!standing.mayAct()) {
            // Another user's id: say that it is taken, not by whom.
            return new FerryException(ErrorCode.REMOTE_ID_IN_USE, "remote id " + id + " is already in use by another user; nothing was changed",
                    "choose another --remote-id (`--replace` is only for the user the id is registered to)");
        }
        String synced = known.lastUploadAt() == null ? "never synced" : "last upload " + known.lastUploadAt();
        String base = "remote id " + id + " is already in use: registered to user '" + known.owner() + "' at " + known.createdAt()
                + (known.reinitializedAt() == null ? "" : ", re-initialized at " + known.reinitializedAt() + " by user '" + known.reinitializedBy() + "'")
                + ", " + synced + "; nothing was changed";
        String hint = standing == RemoteAccess.Standing.OWNER
                ? "to make this new database " + id + " instead, run `ferry remote init` again with --replace (the database that is " + id
                        + " now is then refused and keeps its unsynced changes); or choose another --remote-id"
                : "only user '" + known.owner() + "' may replace it with --replace; or choose another --remote-id";
        return new FerryException(ErrorCode.REMOTE_ID_IN_USE, base, hint);
    }

    private static void insert(Connection c, String id, String user, String incarnation, Instant at) throws SQLException {
        LocalDateTime when = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_remote (remote_id, user_name, incarnation, progress, last_download_position,"
                + " created_at, updated_at) VALUES (?, ?, ?, 0, 0, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, user);
            ps.setString(3, incarnation);
            ps.setObject(4, when);
            ps.setObject(5, when);
            ps.executeUpdate();
        }
    }

    /** What a sync at progress 0 forgets (the session's RemoteRecords.reset): the new database starts clean. */
    private static void forgetSyncState(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_remote SET progress = 0, last_download_position = 0, last_upload_at = NULL,"
                + " last_download_at = NULL, updated_at = ? WHERE remote_id = ?")) {
            ps.setObject(1, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setString(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_upload_error WHERE remote_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    private static void validateRemoteId(String id) {
        RemoteIds.checked(id);
    }
}
