package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.UploadOutcome;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies a sync response to the remote as it streams in. The upload outcome is settled and
 * committed in its own local transaction first (the server committed it, whatever happens to the
 * download). The download is applied in one local transaction with {@code applying = 1}, so its
 * writes are not tracked; it commits only when the response's end record proves it complete.
 * Rows with a local change that is still pending (or in error) are never overwritten: they go up
 * with the next sync.
 */
final class DownloadApplier extends DownloadStream {
    private final Connection c;
    private final RemoteDialect dialect;
    private final PendingRows pending;
    private final RemoteState state;
    private final boolean sentRows;
    private final boolean downloadOnly;
    private final SyncListener listener;
    private final Map<String, TableCounts> counts;
    private UploadOutcome outcome;
    private String status;
    private long lastDownload = -1;

    DownloadApplier(Connection c, RemoteDialect dialect, RemoteTables tables, PendingRows pending, RemoteState state, boolean sentRows,
                    boolean downloadOnly, SyncListener listener, Map<String, TableCounts> counts) {
        super(tables, new DownloadRows(c, dialect, pending, state.remoteId(), DownloadRows.LocalChangeRule.KEEP_LOCAL, listener, counts));
        this.c = c;
        this.dialect = dialect;
        this.pending = pending;
        this.state = state;
        this.sentRows = sentRows;
        this.downloadOnly = downloadOnly;
        this.listener = listener;
        this.counts = counts;
    }

    @Override
    public void start(String consolidatedId, String status) {
        this.status = status;
        if (state.consolidatedId() != null && !state.consolidatedId().equals(consolidatedId)) {
            throw new FerryException(ErrorCode.CONSOLIDATED_MISMATCH, "remote " + state.remoteId() + " belongs to consolidated database "
                    + state.consolidatedId() + " but the server answered for " + consolidatedId);
        }
        try {
            RemoteState.update(c, "consolidated_id = ?", consolidatedId);
            if (downloadOnly && state.pendingUpload() != null && status.equals("ok")) {
                // We asked about an upload whose answer was lost; the server says it never committed it.
                pending.settleNotApplied(c);
                RemoteState.update(c, "pending_upload = NULL");
            }
            c.commit();
        } catch (SQLException e) {
            throw local("recording the server's identity", e);
        }
    }

    @Override
    public void upload(UploadOutcome o) {
        this.outcome = o;
        listener.phase("apply-results");
        try {
            if (o.alreadyApplied() || sentRows) {
                pending.settleApplied(c, o.rejected());
            } else {
                pending.settleNotApplied(c);
            }
            RemoteState.update(c, "progress = ?, pending_upload = NULL, last_upload_time = ?", o.number(), o.uploadTime());
            dialect.commitDurably(c);
        } catch (SQLException e) {
            rollbackQuietly();
            throw local("recording the upload's results", e);
        }
        for (RejectedRow r : o.rejected()) {
            counts.computeIfPresent(r.table(), (k, v) -> v.plusErrors(1));
        }
        for (Map.Entry<String, Long> e : o.conflicts().entrySet()) {
            counts.computeIfPresent(e.getKey(), (k, v) -> v.plusConflicts(e.getValue()));
        }
    }

    @Override
    public void downloadComplete(long position, String downloadTime, long rowCount) {
        rows.commit(position, downloadTime);
        lastDownload = position;
    }

    /** Rolls back a download that did not complete; the remote stays exactly as before it. */
    void abort() {
        rows.abort();
    }

    UploadOutcome outcome() {
        return outcome;
    }

    boolean alreadyApplied() {
        return "upload-already-applied".equals(status);
    }

    /** The position committed by this response, or -1 when it carried no download. */
    long lastDownload() {
        return lastDownload;
    }

    private void rollbackQuietly() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is already unusable; the transaction is gone either way
        }
    }

    private FerryException local(String doing, SQLException e) {
        return new FerryException(ErrorCode.DATABASE_ERROR, doing + " on remote " + state.remoteId() + " failed: " + e.getMessage(), null, e);
    }

    static Map<String, TableCounts> emptyCounts(RemoteTables tables) {
        Map<String, TableCounts> m = new LinkedHashMap<>();
        for (TableDef t : tables.tables()) {
            m.put(t.name(), new TableCounts(t.name(), 0, 0, 0, 0));
        }
        return m;
    }
}
