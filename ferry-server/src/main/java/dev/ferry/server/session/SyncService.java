package dev.ferry.server.session;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.LockWaitLimit;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.protocol.KeyRange;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.SchemaDocument;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.UploadOutcome;
import dev.ferry.server.auth.Authenticator;
import dev.ferry.server.auth.Principal;
import dev.ferry.server.auth.RemoteAccess;
import dev.ferry.server.auth.Users;
import dev.ferry.server.config.Limits;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.conflict.ConflictPolicies;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.server.consolidated.TransactionReplay;
import dev.ferry.server.download.ChangeClock;
import dev.ferry.server.download.ChangeStamper;
import dev.ferry.server.download.DownloadWriter;
import dev.ferry.server.download.HandedOutPositions;
import dev.ferry.server.keys.KeyRanges;
import dev.ferry.server.partition.Holdings;
import dev.ferry.server.partition.PartitionView;
import dev.ferry.server.partition.Partitions;
import dev.ferry.server.partition.Subscriptions;
import dev.ferry.server.registration.Incarnations;
import dev.ferry.server.upload.ApplyResult;
import dev.ferry.server.upload.HeldUpload;
import dev.ferry.server.upload.UploadApplier;
import dev.ferry.server.upload.UploadContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The sync engine every {@link ServerSession} uses: the immutable, shared parts of a server (the
 * provisioned tables, the statements, the applier, stamper and download writer, the one
 * {@link TransactionReplay}) and the steps that touch the consolidated database. {@link #begin} runs
 * a session up to the point where its response can start; in that case nothing is kept in memory
 * after the request. Thread-safe.
 */
public final class SyncService {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
    private final ConsolidatedDatabase db;
    private final Tracking tracking;
    private final ServerConfig config;
    private final Users users;
    private final Authenticator authenticator;
    private final RemoteAccess access;
    private final Incarnations incarnations;
    private final Map<String, TableSql> sql = new LinkedHashMap<>();
    private final UploadApplier applier;
    private final TransactionReplay replay;
    private final ChangeStamper stamper;
    private final DownloadWriter downloads;
    private final SyncLog log;
    private final Partitions partitions;
    private final KeyJson keyJson = new KeyJson();
    private final KeyRanges keyRanges;
    private final Map<PartitionView, String> schemaVersions = new java.util.concurrent.ConcurrentHashMap<>();

    public SyncService(ConsolidatedDatabase db, Tracking tracking, ServerConfig config) {
        this.db = db;
        this.tracking = tracking;
        this.config = config;
        this.users = new Users(db, config.passwordIterations());
        this.authenticator = new Authenticator(db, users, config.loginThrottle());
        this.access = new RemoteAccess(db);
        this.incarnations = new Incarnations(access, db.dialect());
        for (TableDef t : tracking.tables()) {
            sql.put(t.name(), new TableSql(db.dialect(), tracking.tracked(t.name())));
        }
        this.partitions = Partitions.build(config.publications(), tracking, db, sql);
        ConflictPolicies policies = conflictPolicies(db, tracking, config);
        for (TableDef t : tracking.tables()) {
            for (ColumnDef col : policies.forTable(t.name()).columnsCompared()) {
                partitions.requirePublished(t.name(), col.name(), "the conflict policy " + policies.forTable(t.name()).name());
            }
        }
        this.applier = new UploadApplier(db.dialect(), tracking, sql, config.uploadPolicy(), policies);
        this.replay = new TransactionReplay(db.dialect(), config.maxRetries(), config.retryBackoff());
        this.stamper = new ChangeStamper(db, replay);
        this.downloads = new DownloadWriter(db, partitions.view(List.of()));
        this.log = new SyncLog(db);
        this.keyRanges = KeyRanges.start(db, tracking, config.keyRanges(), config.lockTimeout());
    }

    /**
     * The key ranges a sync hands back (docs/SCHEMAS.md, "Keys created offline"): none for a remote that
     * reports none (a probe, an older client). The upload is committed by then, so a range that cannot be
     * reserved now (a lock the DDL waited for too long) is logged and left to the next sync instead of
     * failing this one; the remote still holds at least half a range.
     */
    List<KeyRange> keyRangesFor(SyncRequestHeader h, PartitionView view) {
        if (!keyRanges.enabled() || h.keyRanges() == null) {
            return List.of();
        }
        try {
            return keyRanges.handOut(h.remoteId(), view.tracking().byName().keySet(), h.keyRanges());
        } catch (FerryException e) {
            LOG.warn("remote {}: no new key range this sync: {}", h.remoteId(), e.getMessage());
            return List.of();
        }
    }

    private static ConflictPolicies conflictPolicies(ConsolidatedDatabase db, Tracking tracking, ServerConfig config) {
        try (Connection c = db.connection()) {
            return ConflictPolicies.build(config.conflicts(), tracking.tables(), db.dialect(), c);
        } catch (SQLException e) {
            throw SqlErrors.wrap("checking the conflict policies", db.dialect(), e);
        }
    }

    public Tracking tracking() {
        return tracking;
    }

    public Partitions partitions() {
        return partitions;
    }

    /** The tables and partitions of the publications the remote subscribed to (all of them when it named none). */
    PartitionView viewOf(String remoteId) {
        if (!partitions.enabled()) {
            return partitions.view(List.of());
        }
        try (Connection c = db.connection()) {
            return partitions.view(Subscriptions.of(c, remoteId));
        } catch (SQLException e) {
            throw SqlErrors.wrap("reading the subscriptions of remote " + remoteId, db.dialect(), e);
        }
    }

    /** The checked publication names a registration asks for (null or empty: none recorded, every publication). */
    public List<String> subscription(List<String> publications) {
        if (publications == null || publications.isEmpty()) {
            return List.of();
        }
        if (!partitions.enabled()) {
            throw new FerryException(ErrorCode.PUBLICATION_NOT_FOUND, "the server has no publications, so it cannot subscribe a remote to "
                    + publications, "run `ferry remote init` without --publication");
        }
        return partitions.publications().resolve(publications);
    }

    public String consolidatedId() {
        return db.identity();
    }

    public Users users() {
        return users;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public RemoteAccess access() {
        return access;
    }

    /** What one request may cost the server (issue 11). */
    public Limits limits() {
        return config.limits();
    }

    /** Transactions rolled back and run again (deadlocks, lock timeouts) since the server started. */
    public long retriesTotal() {
        return replay.retriesTotal();
    }

    /**
     * Runs a session through authentication, receiving and applying; the caller then streams its
     * response with {@link ServerSession#respond} and closes it. Throws a {@link FerryException} for
     * anything that fails before then; in that case the consolidated database did not change.
     */
    public ServerSession begin(Supplier<Principal> authentication, InputStream body) {
        ServerSession session = new ServerSession(this);
        try {
            session.authenticate(authentication);
            session.authorize(body, config.limits().valueBytes());
            session.receive(config.spillThresholdRows(), config.limits().rowsPerUpload());
            session.apply();
            return session;
        } catch (RuntimeException e) {
            throw session.fail(e);
        }
    }

    /**
     * Refuses ({@code FORBIDDEN}) a user who may not act for the remote id, and a credential bound to
     * another remote id, before anything is read or written; the user is checked again under the row lock.
     */
    void authorize(Principal principal, SyncRequestHeader h) {
        access.requireMayAct(principal.user(), h.remoteId());
        requireBound(principal, h.remoteId());
    }

    /** A credential proves one remote id only (issue 11). */
    private static void requireBound(Principal principal, String remoteId) {
        if (principal.viaCredential() && !principal.remoteId().equals(remoteId)) {
            throw new FerryException(ErrorCode.FORBIDDEN, "the credential of remote " + principal.remoteId() + " may not act for remote id " + remoteId
                    + "; nothing was changed", "each remote syncs with its own credential: run `ferry remote passwd` on the remote database of " + remoteId);
        }
    }

    void checkIdentity(SyncRequestHeader h) {
        if (h.consolidatedId() != null && !h.consolidatedId().equals(db.identity())) {
            throw new FerryException(ErrorCode.CONSOLIDATED_MISMATCH, "remote " + h.remoteId() + " belongs to consolidated database "
                    + h.consolidatedId() + " but this server serves " + db.identity(),
                    "point the remote at its own server, or move it here with `ferry remote reset --server URL` (keeps its unsynced changes; the next sync downloads everything)");
        }
    }

    /** The schema version a remote of {@code view} must follow; views are few and immutable, so each is digested once. */
    String schemaVersion(PartitionView view) {
        return schemaVersions.computeIfAbsent(view, v -> SchemaDocument.versionOf(v.schema()));
    }

    /**
     * True when the remote follows another schema version than the server serves it (docs/SCHEMAS.md,
     * "Schema changes"): its upload is applied with the columns it has and it gets no download but the
     * news, after which it upgrades. A remote that reports no version (made before versions) never is.
     */
    boolean schemaChanged(SyncRequestHeader h, PartitionView view) {
        return h.schemaVersion() != null && !h.schemaVersion().equals(schemaVersion(view));
    }

    void checkTables(SyncRequestHeader h, PartitionView view) {
        TreeSet<String> remote = new TreeSet<>(h.tables());
        TreeSet<String> server = new TreeSet<>(view.tracking().byName().keySet());
        if (!remote.equals(server)) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "remote " + h.remoteId() + " synchronizes tables " + remote
                    + " but the server " + (view.publications().isEmpty() ? "synchronizes " : "publishes to it (" + view.publications() + ") ") + server,
                    "re-create the remote with `ferry remote init` after changing the synchronized tables or publications");
        }
    }

    /**
     * The APPLIED transition's work: in one READ COMMITTED transaction, lock the remote's row, judge
     * the progress counter ({@link ProgressRule}), apply the upload and record the new progress value
     * with its per-row results; replayed from the start after a deadlock or lock timeout. The upload
     * time is then read after the commit, outside the replay: a committed upload must never be applied
     * again.
     */
    ServerSession.Applied commitUpload(String user, SyncRequestHeader h, HeldUpload held, PartitionView view) {
        ConsolidatedDialect dialect = db.dialect();
        ServerSession.Applied committed;
        // The limit is closed (the session's own setting restored) before the connection returns to the pool.
        try (Connection c = db.connection(); LockWaitLimit lockWaits = dialect.lockWaitLimit(c, config.lockTimeout())) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            TransactionReplay.Replayed<ServerSession.Applied> done = replay.run(c, "the upload of remote " + h.remoteId(), (tx, attempt) -> {
                // Per attempt: on PostgreSQL the limit ends with the transaction, rollbacks included.
                lockWaits.apply();
                return attempt(tx, user, h, held, attempt, view);
            });
            committed = done.value();
        } catch (SQLException e) {
            throw SqlErrors.wrap("applying the upload of remote " + h.remoteId(), dialect, e);
        }
        // After the connection went back: a sync holds one pooled connection at a time, so limits.concurrentSyncs
        // syncs never wait for a pool of as many connections (issue 12: this read once took a second one, and
        // twice as many syncs as connections waited 30 s for the pool).
        return withCommitTime(committed);
    }

    /**
     * Replaces the upload time with the consolidated clock read after the commit, an upper bound of the
     * commit time: a download file whose creation began later sees the upload (check 3 of seed 001).
     * Once the upload is committed the request must not fail (the remote would keep asking about an
     * upload it cannot settle), so a failed read leaves the time unknown, which only makes the
     * remote refuse download files until its next upload.
     */
    private ServerSession.Applied withCommitTime(ServerSession.Applied a) {
        if (a.outcome() == null || a.status() != ServerSession.Status.OK) {
            return a;
        }
        String time;
        try {
            time = now().toString();
        } catch (FerryException e) {
            time = null;
        }
        return new ServerSession.Applied(a.status(), a.outcome().withUploadTime(time), a.downloads(), a.serverProgress(), a.warning());
    }

    private ServerSession.Applied attempt(Connection c, String user, SyncRequestHeader h, HeldUpload held, int retries, PartitionView view)
            throws SQLException {
        RemoteRecords.RemoteRow remote;
        try {
            remote = RemoteRecords.lock(c, h.remoteId());
        } catch (SQLException e) {
            if (db.dialect().classify(e).kind() == SqlFailure.Kind.RETRY_TRANSACTION) {
                throw new FerryException(ErrorCode.SYNC_IN_PROGRESS, "another sync of remote " + h.remoteId() + " is still running on the server",
                        "wait for it to finish and sync again");
            }
            throw e;
        }
        // Only a user who may act for the remote id gets here; then the database it claims to be must be the id's current one.
        incarnations.admit(c, user, h.remoteId(), h.incarnation(), h.progress());
        String warning = wentBackInTime(c, h, remote);
        ProgressRule.Verdict verdict = ProgressRule.judge(remote, h);
        if (verdict instanceof ProgressRule.Restored restored) {
            LOG.warn("remote {} has acknowledged uploads up to {} but the consolidated database only up to {}: it went back in time"
                    + " (restored from a backup, or failed over to a replica that missed commits); the remote sends uploads {} to {} again",
                    h.remoteId(), h.progress(), restored.serverProgress(), restored.serverProgress() + 1, h.progress());
            return new ServerSession.Applied(ServerSession.Status.CONSOLIDATED_RESTORED, null, false, restored.serverProgress(),
                    "the consolidated database has uploads of this remote only up to " + restored.serverProgress() + ", the remote up to " + h.progress());
        }
        ServerSession.Applied applied = judged(c, user, h, held, retries, remote, verdict, view);
        if (warning == null && !h.isProbe()) {
            acknowledged(c, h, remote, view);
        }
        return warning == null ? applied : applied.withWarning(warning);
    }

    /**
     * The acknowledgement folded into the next sync (issue 12): the request's {@code lastDownload} is the
     * position the remote committed with its last download, exactly what its separate acknowledgement
     * used to say, so it moves the server's record of the remote's last download in the upload's own
     * transaction. A position the server cannot vouch for ({@link #wentBackInTime}) and a probe (which
     * commits nothing) move nothing; the record never moves backwards.
     */
    private void acknowledged(Connection c, SyncRequestHeader h, RemoteRecords.RemoteRow remote, PartitionView view) throws SQLException {
        // A new remote database (progress 0) had the record reset by this very transaction.
        if (h.lastDownload() == 0 || (h.progress() != 0 && h.lastDownload() <= remote.lastDownload())) {
            return;
        }
        RemoteRecords.recordDownload(c, h.remoteId(), h.lastDownload(), db.dialect().currentTime(c));
        if (partitions.enabled()) {
            Holdings.purge(c, view, h.remoteId(), h.lastDownload());
        }
    }

    /**
     * A download position past the consolidated clock, or past the highest position the server
     * remembers handing this remote, can only come from a stretch the consolidated database no longer
     * remembers. Change positions are restore-safe (see {@code ChangeStamper}), so the remote misses
     * nothing later; the operator is told all the same. A new remote database (progress 0) may hold a
     * position from a full download file made before it existed, so it is not judged.
     */
    private String wentBackInTime(Connection c, SyncRequestHeader h, RemoteRecords.RemoteRow remote) throws SQLException {
        long clock = ChangeClock.read(c);
        long known = Math.max(remote.downloadHighWater(), remote.lastDownload());
        if (h.lastDownload() <= clock && (h.progress() == 0 || h.lastDownload() <= known)) {
            return null;
        }
        String w = "remote " + h.remoteId() + " has downloaded up to position " + h.lastDownload() + " but the consolidated database knows of "
                + Math.min(clock, known) + " at most: it went back in time (restored from a backup, or failed over to a replica that missed commits)";
        LOG.warn("{}; changes made from now on still reach it (positions are restore-safe)", w);
        return w;
    }

    private ServerSession.Applied judged(Connection c, String user, SyncRequestHeader h, HeldUpload held, int retries, RemoteRecords.RemoteRow remote,
                                         ProgressRule.Verdict verdict, PartitionView view) throws SQLException {
        if (verdict instanceof ProgressRule.AlreadyApplied already) {
            // The remote sent this very upload and never heard back, but we committed it: apply nothing
            // again; hand back its stored per-row results so the remote can settle its rows.
            List<RejectedRow> stored = RemoteRecords.storedRejections(c, h.remoteId(), already.number(), keyJson);
            return new ServerSession.Applied(ServerSession.Status.UPLOAD_ALREADY_APPLIED,
                    new UploadOutcome(already.number(), true, 0, stored, Map.of(), 0, null), false);
        }
        if (verdict instanceof ProgressRule.NotApplied) {
            return new ServerSession.Applied(ServerSession.Status.UPLOAD_NOT_APPLIED, null, false);
        }
        if (verdict instanceof ProgressRule.DownloadOnly d) {
            if (d.reset()) {
                RemoteRecords.reset(c, h.remoteId());
            }
            return new ServerSession.Applied(ServerSession.Status.OK, null, true);
        }
        ProgressRule.Apply apply = (ProgressRule.Apply) verdict;
        if (apply.reset()) {
            RemoteRecords.reset(c, h.remoteId());
        }
        Instant now = db.dialect().currentTime(c);
        ApplyResult result = applier.apply(c, held, new UploadContext(h.remoteId(), apply.number(), now, h.incarnation()), view);
        RemoteRecords.recordUpload(c, h.remoteId(), apply.number(), h.uploadId(), now, result.rejected(), keyJson);
        return new ServerSession.Applied(ServerSession.Status.OK, new UploadOutcome(apply.number(), false, result.applied(), result.rejected(),
                result.conflicts(), retries, now.toString()), h.mode().downloads());
    }

    /** Remembers that the remote was handed a download up to {@code position}: see {@link #wentBackInTime}. */
    void recordHandedOut(String remoteId, long position) {
        try (Connection c = db.connection()) {
            HandedOutPositions.record(c, List.of(remoteId), position);
        } catch (SQLException e) {
            throw SqlErrors.wrap("recording the download of remote " + remoteId, db.dialect(), e);
        }
    }

    long stampChanges() {
        return stamper.stamp(sql.values());
    }

    DownloadWriter downloads() {
        return downloads;
    }

    Instant now() {
        try (Connection c = db.connection()) {
            return db.dialect().currentTime(c);
        } catch (SQLException e) {
            throw SqlErrors.wrap("reading the consolidated clock", db.dialect(), e);
        }
    }

    /** The tables an existing remote synchronizes now, for its upgrade ({@code GET /v1/schema?remoteId=}): only a user who may act for it. */
    public List<TableDef> schemaOf(Principal principal, String remoteId) {
        access.requireMayAct(principal.user(), remoteId);
        requireBound(principal, remoteId);
        return viewOf(remoteId).schema();
    }

    /**
     * Records that a remote applied a download up to {@code position}: {@code POST /v1/sync/ack}, which
     * clients before issue 12 send after each download; later ones fold it into the next sync ({@link #acknowledged}).
     */
    public void acknowledgeDownload(Principal principal, String remoteId, long position) {
        access.requireMayAct(principal.user(), remoteId);
        requireBound(principal, remoteId);
        // Read before the connection below is taken: one pooled connection at a time (issue 12).
        PartitionView view = viewOf(remoteId);
        try (Connection c = db.connection()) {
            RemoteRecords.recordDownload(c, remoteId, position, db.dialect().currentTime(c));
            if (partitions.enabled()) {
                Holdings.purge(c, view, remoteId, position);
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("recording the download of remote " + remoteId, db.dialect(), e);
        }
    }

    void logSync(SyncRequestHeader h, String user, Instant started, String outcome, Long uploadNumber, long uploaded, long rejected,
                 long downloaded, int retries, String message, FerryException error) {
        log.write(new SyncLog.Entry(h.remoteId(), user, started, h.mode().wire(), outcome, uploadNumber, uploaded, rejected, downloaded, retries,
                error == null ? null : error.code().name(), message));
    }
}
