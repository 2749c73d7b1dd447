package dev.ferry.server.session;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.SyncRequestReader;
import dev.ferry.protocol.UploadOutcome;
import dev.ferry.server.auth.RemoteAccess;
import dev.ferry.server.auth.Users;
import dev.ferry.server.config.ServerConfig;
import dev.ferry.server.conflict.ConflictPolicies;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.server.download.ChangeStamper;
import dev.ferry.server.download.DownloadWriter;
import dev.ferry.server.registration.Incarnations;
import dev.ferry.server.upload.ApplyResult;
import dev.ferry.server.upload.HeldUpload;
import dev.ferry.server.upload.RetryTransaction;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sync session engine. {@link #begin} does everything that can fail cleanly before the response
 * starts: authenticate, read and hold the whole upload, check the progress counter, apply the upload
 * in one transaction (replaying it after deadlocks) and commit it together with the new progress
 * value. The returned {@link PreparedSync} then streams the response. No state survives the request:
 * everything a later sync needs is in the consolidated database. Thread-safe.
 */
public final class SyncService {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final ConsolidatedDatabase db;
    private final Tracking tracking;
    private final ServerConfig config;
    private final Users users;
    private final RemoteAccess access;
    private final Incarnations incarnations;
    private final Map<String, TableSql> sql = new LinkedHashMap<>();
    private final UploadApplier applier;
    private final ChangeStamper stamper;
    private final DownloadWriter downloads;
    private final SyncLog log;
    private final KeyJson keyJson = new KeyJson();
    private final AtomicLong retriesTotal = new AtomicLong();

    public SyncService(ConsolidatedDatabase db, Tracking tracking, ServerConfig config) {
        this.db = db;
        this.tracking = tracking;
        this.config = config;
        this.users = new Users(db, config.passwordIterations());
        this.access = new RemoteAccess(db);
        this.incarnations = new Incarnations(access, db.dialect());
        for (TableDef t : tracking.tables()) {
            sql.put(t.name(), new TableSql(db.dialect(), tracking.tracked(t.name())));
        }
        this.applier = new UploadApplier(db.dialect(), tracking, sql, config.uploadPolicy(), conflictPolicies(db, tracking, config));
        this.stamper = new ChangeStamper(db);
        this.downloads = new DownloadWriter(db, tracking, sql);
        this.log = new SyncLog(db);
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

    public String consolidatedId() {
        return db.identity();
    }

    public Users users() {
        return users;
    }

    /** Upload retries (deadlocks, lock timeouts) since the server started. */
    public long retriesTotal() {
        return retriesTotal.get();
    }

    /**
     * Runs a sync up to the point where the response can start. Throws a {@link FerryException} for
     * anything that fails before then; in that case neither database changed.
     */
    public PreparedSync begin(String user, char[] password, InputStream body) {
        Instant started = Instant.now();
        users.authenticate(user, password);
        SyncRequestReader reader = new SyncRequestReader(body);
        SyncRequestHeader header = reader.readHeader();
        HeldUpload held = new HeldUpload(config.spillThresholdRows());
        try {
            access.requireMayAct(user, header.remoteId()); // again under the row lock; this one refuses before the upload is read
            checkIdentity(header);
            checkTables(header);
            reader.readUpload(tracking.schema()::table, held::add);
            if (!header.mode().uploads() && held.rowCount() > 0) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a download-only sync of remote " + header.remoteId() + " carried upload rows");
            }
            Committed committed = withCommitTime(commitUpload(user, header, held));
            return new PreparedSync(this, user, header, held, committed, started);
        } catch (RuntimeException e) {
            held.close();
            FerryException fe = e instanceof FerryException f ? f
                    : new FerryException(ErrorCode.INTERNAL, "sync of remote " + header.remoteId() + " failed: " + e, null, e);
            logSync(header, user, started, "failed", null, held.rowCount(), 0, 0, 0, fe);
            throw fe;
        }
    }

    private void checkIdentity(SyncRequestHeader h) {
        if (h.consolidatedId() != null && !h.consolidatedId().equals(db.identity())) {
            throw new FerryException(ErrorCode.CONSOLIDATED_MISMATCH, "remote " + h.remoteId() + " belongs to consolidated database "
                    + h.consolidatedId() + " but this server serves " + db.identity(),
                    "point the remote at its own server, or move it here with `ferry remote reset --server URL` (keeps its unsynced changes; the next sync downloads everything)");
        }
    }

    private void checkTables(SyncRequestHeader h) {
        TreeSet<String> remote = new TreeSet<>(h.tables());
        TreeSet<String> server = new TreeSet<>(tracking.byName().keySet());
        if (!remote.equals(server)) {
            throw new FerryException(ErrorCode.SCHEMA_MISMATCH, "remote " + h.remoteId() + " synchronizes tables " + remote
                    + " but the server synchronizes " + server, "re-create the remote with `ferry remote init` after changing the synchronized tables");
        }
    }

    /** The committed outcome of the upload phase. {@code alreadyApplied}: an earlier upload's lost acknowledgement. */
    record Committed(UploadOutcome outcome, boolean alreadyApplied) {
    }

    private Committed commitUpload(String user, SyncRequestHeader h, HeldUpload held) {
        ConsolidatedDialect dialect = db.dialect();
        try (Connection c = db.connection()) {
            RemoteRecords.ensureExists(c, h.remoteId(), user);
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            int retries = 0;
            while (true) {
                try {
                    // Set per attempt: PostgreSQL undoes SET lock_timeout when a transaction rolls back.
                    dialect.setLockTimeout(c, config.lockTimeout());
                    Committed result = attempt(c, user, h, held, retries);
                    c.commit();
                    return result;
                } catch (RetryTransaction e) {
                    c.rollback();
                    retries = backOff(h, retries, e.sqlCause());
                } catch (SQLException e) {
                    c.rollback();
                    if (dialect.classify(e).kind() != SqlFailure.Kind.RETRY_TRANSACTION) {
                        throw SqlErrors.wrap("applying the upload of remote " + h.remoteId(), dialect, e);
                    }
                    retries = backOff(h, retries, e);
                } catch (RuntimeException e) {
                    c.rollback();
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("applying the upload of remote " + h.remoteId(), dialect, e);
        }
    }

    /**
     * Replaces the upload time with the consolidated clock read after the commit, an upper bound of the
     * commit time: a download file whose creation began later sees the upload (check 3 of seed 001).
     * Read outside the retry loop: the upload is committed and must never be applied again. Should the
     * read fail, the sync fails and the remote recovers the committed upload as a lost acknowledgement.
     */
    private Committed withCommitTime(Committed committed) {
        if (committed.outcome() == null) {
            return committed;
        }
        return new Committed(committed.outcome().withUploadTime(now().toString()), committed.alreadyApplied());
    }

    private int backOff(SyncRequestHeader h, int retries, SQLException cause) {
        if (retries >= config.maxRetries()) {
            throw new FerryException(ErrorCode.RETRIES_EXHAUSTED, "the upload of remote " + h.remoteId() + " hit a deadlock or lock timeout "
                    + (retries + 1) + " times; last: " + cause.getMessage(), "sync again; if it persists, look for long transactions on the consolidated database");
        }
        retriesTotal.incrementAndGet();
        long cap = Math.min(MAX_BACKOFF_MS, config.retryBackoff().toMillis() << Math.min(retries, 16));
        long sleep = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        LOG.warn("remote {}: upload rolled back ({}, SQLState {}); applying it again from the start in {} ms (retry {} of {})",
                h.remoteId(), cause.getMessage(), cause.getSQLState(), sleep, retries + 1, config.maxRetries());
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, "interrupted while waiting to retry an upload");
        }
        return retries + 1;
    }

    private Committed attempt(Connection c, String user, SyncRequestHeader h, HeldUpload held, int retries) throws SQLException {
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
        incarnations.admit(c, user, h.remoteId(), h.incarnation(), h.progress());
        if (h.pendingUpload() != null && h.pendingUpload() > 0 && remote.progress() == h.pendingUpload()) {
            // The remote sent upload N and never heard back, but we committed it: do not apply anything
            // again; hand back its stored per-row results so the remote can settle its rows.
            List<RejectedRow> stored = RemoteRecords.storedRejections(c, h.remoteId(), remote.progress(), keyJson);
            return new Committed(new UploadOutcome(remote.progress(), true, 0, stored, Map.of(), 0, null), true);
        }
        long progress = remote.progress();
        if (h.progress() == 0) {
            RemoteRecords.reset(c, h.remoteId());
            progress = 0;
        } else if (h.progress() != remote.progress()) {
            throw new FerryException(ErrorCode.PROGRESS_MISMATCH, "progress counter mismatch for remote " + h.remoteId() + ": the remote has "
                    + h.progress() + ", the consolidated database expects " + remote.progress(),
                    "the remote may be an old backup or belong to another server: run `ferry remote reset` on it (keeps its unsynced changes; the next sync uploads them and downloads everything)");
        }
        if (!h.mode().uploads()) {
            return new Committed(null, false);
        }
        long number = progress + 1;
        Instant now = db.dialect().currentTime(c);
        ApplyResult result = applier.apply(c, held, new UploadContext(h.remoteId(), number, now));
        RemoteRecords.recordUpload(c, h.remoteId(), number, now, result.rejected(), keyJson);
        return new Committed(new UploadOutcome(number, false, result.applied(), result.rejected(), result.conflicts(), retries,
                now.toString()), false);
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

    /** Records that a remote applied a download up to {@code position}. */
    public void acknowledgeDownload(String user, char[] password, String remoteId, long position) {
        users.authenticate(user, password);
        try (Connection c = db.connection()) {
            access.requireMayAct(c, user, remoteId);
            RemoteRecords.recordDownload(c, remoteId, position, db.dialect().currentTime(c));
        } catch (SQLException e) {
            throw SqlErrors.wrap("recording the download of remote " + remoteId, db.dialect(), e);
        }
    }

    void logSync(SyncRequestHeader h, String user, Instant started, String outcome, Long uploadNumber, long uploaded, long rejected,
                 long downloaded, int retries, FerryException error) {
        log.write(new SyncLog.Entry(h.remoteId(), user, started, h.mode().wire(), outcome, uploadNumber, uploaded, rejected, downloaded, retries,
                error == null ? null : error.code().name(), error == null ? null : error.getMessage()));
    }
}
