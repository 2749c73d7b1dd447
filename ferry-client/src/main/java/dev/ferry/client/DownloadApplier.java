package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.SqlFailure;
import dev.ferry.protocol.RejectedRow;
import dev.ferry.protocol.SyncResponseHandler;
import dev.ferry.protocol.UploadOutcome;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Applies a sync response to the remote as it streams in. The upload outcome is settled and
 * committed in its own local transaction first (the server committed it, whatever happens to the
 * download). The download is applied in one local transaction with {@code applying = 1}, so its
 * writes are not tracked; it commits only when the response's end record proves it complete.
 * Rows with a local change that is still pending (or in error) are never overwritten: they go up
 * with the next sync.
 */
final class DownloadApplier implements SyncResponseHandler {
    private final Connection c;
    private final RemoteDialect dialect;
    private final RemoteTables tables;
    private final PendingRows pending;
    private final RemoteState state;
    private final boolean sentRows;
    private final boolean downloadOnly;
    private final SyncListener listener;
    private final Map<String, TableCounts> counts;
    private final Map<String, Statements> statements = new HashMap<>();
    private boolean downloadOpen;
    private UploadOutcome outcome;
    private String status;
    private long lastDownload = -1;

    DownloadApplier(Connection c, RemoteDialect dialect, RemoteTables tables, PendingRows pending, RemoteState state, boolean sentRows,
                    boolean downloadOnly, SyncListener listener, Map<String, TableCounts> counts) {
        this.c = c;
        this.dialect = dialect;
        this.tables = tables;
        this.pending = pending;
        this.state = state;
        this.sentRows = sentRows;
        this.downloadOnly = downloadOnly;
        this.listener = listener;
        this.counts = counts;
    }

    private record Statements(PreparedStatement upsert, PreparedStatement delete, PreparedStatement lookup) {
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
            c.commit();
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
    public TableDef table(String name) {
        return tables.table(name);
    }

    @Override
    public void beginTable(TableDef table) {
        openDownload();
    }

    @Override
    public void upsert(TableDef t, Object[] values) {
        try {
            Statements s = statements(t);
            if (pending.hasLocalChange(s.lookup(), t, t.keyOf(values))) {
                return;
            }
            for (int i = 0; i < values.length; i++) {
                dialect.bind(s.upsert(), i + 1, t.columns().get(i), values[i]);
            }
            s.upsert().executeUpdate();
            count(t);
        } catch (SQLException e) {
            throw local("applying a downloaded row of " + t.name(), e);
        }
    }

    @Override
    public void delete(TableDef t, Object[] key) {
        try {
            Statements s = statements(t);
            if (pending.hasLocalChange(s.lookup(), t, key)) {
                return;
            }
            for (int i = 0; i < key.length; i++) {
                dialect.bind(s.delete(), i + 1, t.keyColumns().get(i), key[i]);
            }
            try {
                if (s.delete().executeUpdate() > 0) {
                    count(t);
                }
            } catch (SQLException e) {
                SqlFailure f = dialect.classify(e);
                if (f.kind() != SqlFailure.Kind.ROW || f.rowCode() != ErrorCode.ROW_FOREIGN_KEY_VIOLATION) {
                    throw e;
                }
                // The statement failed alone; the download transaction goes on (SQLite and H2 roll back
                // only the failing statement).
                pending.markDeleteBlocked(c, t, key, "the server deleted this row, but local rows still reference it;"
                        + " it was kept: delete or fix the referencing rows, then delete it");
                counts.computeIfPresent(t.name(), (k, v) -> v.plusErrors(1));
            }
        } catch (SQLException e) {
            throw local("applying a downloaded delete of " + t.name(), e);
        }
    }

    @Override
    public void downloadComplete(long position, String downloadTime, long rows) {
        try {
            openDownload();
            RemoteState.update(c, "last_download = ?, last_download_time = ?, applying = 0", position, downloadTime);
            c.commit();
            downloadOpen = false;
            lastDownload = position;
        } catch (SQLException e) {
            throw local("committing the download", e);
        } finally {
            closeStatements();
        }
    }

    /** Rolls back a download that did not complete; the remote stays exactly as before it. */
    void abort() {
        closeStatements();
        rollbackQuietly();
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

    private void openDownload() {
        if (downloadOpen) {
            return;
        }
        listener.phase("download");
        try {
            RemoteState.update(c, "applying = 1");
            downloadOpen = true;
        } catch (SQLException e) {
            throw local("starting the download", e);
        }
    }

    private Statements statements(TableDef t) throws SQLException {
        Statements s = statements.get(t.name());
        if (s == null) {
            String delete = "DELETE FROM " + dialect.quote(t.name()) + " WHERE " + t.keyColumns().stream()
                    .map(k -> dialect.quote(k.name()) + " = " + dialect.placeholder(k)).collect(Collectors.joining(" AND "));
            s = new Statements(c.prepareStatement(dialect.upsertSql(t)), c.prepareStatement(delete), c.prepareStatement(pending.lookupSql(t)));
            statements.put(t.name(), s);
        }
        return s;
    }

    private void count(TableDef t) {
        TableCounts tc = counts.computeIfPresent(t.name(), (k, v) -> v.plusDownloaded(1));
        if (tc != null) {
            listener.downloaded(t.name(), tc.downloaded());
        }
    }

    private void closeStatements() {
        for (Statements s : statements.values()) {
            try {
                s.upsert().close();
                s.delete().close();
                s.lookup().close();
            } catch (SQLException ignored) {
                // closing prepared statements of a finished transaction
            }
        }
        statements.clear();
    }

    private void rollbackQuietly() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is already unusable; the transaction is gone either way
        }
        downloadOpen = false;
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
