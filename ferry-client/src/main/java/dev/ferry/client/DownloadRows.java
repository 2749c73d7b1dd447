package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.TableDef;
import dev.ferry.dialect.RemoteDialect;
import dev.ferry.dialect.SqlFailure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes downloaded rows into the remote inside one local transaction opened with {@code applying = 1},
 * so the writes are not tracked as local changes (no echo). A row with a local change is never
 * overwritten; what happens to it instead is the {@link LocalChangeRule} of the caller: a sync skips
 * it (it goes up with the next upload), a download file refuses the whole file. A downloaded delete
 * the remote's foreign keys refuse keeps the row and marks it {@code ROW_DELETE_BLOCKED}; a downloaded
 * row its constraints refuse is kept out and recorded in {@link DownloadBlocks}: one row's data never
 * fails a download. Nothing is visible to other connections until {@link #commit}.
 *
 * <p>Where no other connection can write while the download transaction is open (SQLite), the
 * {@code ferry_pending} entries are read once ({@link PendingEntries}) and the rows without one are
 * written in JDBC batches ({@link DownloadBatch}); a batch the remote refuses is undone and replayed
 * row by row, so each row's outcome is the same as written alone. Where local writes interleave (H2),
 * each row is looked up, written and looked up again on its own ({@link #undoneForLocalChange}).
 * Not thread-safe; use for one download.
 */
final class DownloadRows {
    /** Decides about a downloaded row whose key has a {@code ferry_pending} entry in {@code state}. */
    @FunctionalInterface
    interface LocalChangeRule {
        /** The sync's rule: every row with a local change or error keeps its local version. */
        LocalChangeRule KEEP_LOCAL = (table, key, state) -> { };

        /** Called instead of writing the row; may throw to stop the download. */
        void met(TableDef table, Object[] key, String state);
    }

    private final Connection c;
    private final RemoteDialect dialect;
    private final RemoteTables tables;
    private final PendingRows pending;
    private DownloadBlocks blocks;
    private SkippedDownloads skipped;
    private final String remoteId;
    private final LocalChangeRule rule;
    private final SyncListener listener;
    private final Map<String, TableCounts> counts;
    private final Map<String, Statements> statements = new HashMap<>();
    private final boolean recheck;
    /** Null when the dialect needs a second look after each write ({@link #recheck}): then every row is written on its own. */
    private final DownloadBatch batch;
    /** Read when the download opens; null without batching, where each row's entry is asked for at its write. */
    private PendingEntries entries;
    /** Rows on foreign-key cycles: written NULL-first, deletes retried together (issue 13). */
    private DownloadCycles cycles;
    private boolean open;

    DownloadRows(Connection c, RemoteDialect dialect, RemoteTables tables, PendingRows pending, String remoteId, LocalChangeRule rule,
                 SyncListener listener, Map<String, TableCounts> counts) {
        this.c = c;
        this.tables = tables;
        this.dialect = dialect;
        this.pending = pending;
        this.remoteId = remoteId;
        this.rule = rule;
        this.listener = listener;
        this.counts = counts;
        this.recheck = dialect.localWritesInterleaveWithDownloads();
        this.batch = recheck ? null : new DownloadBatch(c, new Batched());
    }

    private record Statements(PreparedStatement upsert, PreparedStatement delete, PreparedStatement lookup) {
    }

    /** Opens the download transaction (idempotent): from here on, writes of this connection are not tracked. */
    void begin() {
        if (open) {
            return;
        }
        listener.phase("download");
        try {
            RemoteState.update(c, "applying = 1");
            blocks = DownloadBlocks.load(c, dialect, tables);
            skipped = SkippedDownloads.load(c, dialect, tables);
            // After the write above: from it on no other connection can change ferry_pending (see PendingEntries).
            entries = batch == null ? null : PendingEntries.load(c, tables);
            cycles = DownloadCycles.load(c, dialect, tables);
            open = true;
        } catch (SQLException e) {
            throw local("starting the download", e);
        }
    }

    /**
     * Writes a downloaded row unless the remote holds a change of its own to it. Rows in {@code error}
     * that hold no change of the application's are written: a kept row the server deleted and now has
     * again, and a refused delete, which the server's row undoes (defect 1: the rows that depend on it
     * can then arrive). A row the remote's own constraints refuse is kept out and recorded as blocked;
     * the rest of the download goes on. A row without a local entry joins the current batch (when
     * batching); any other row is decided on its own, after the batch is flushed.
     */
    void upsert(TableDef t, Object[] values) {
        Object[] key = t.keyOf(values);
        try {
            Statements s = statements(t);
            PendingRows.Local local = local(s, t, key);
            // A row that may reference one not written yet is looked at on its own (DownloadCycles.open).
            if (local == null && batch != null && !cycles.closes(t)) {
                batch.add(t, true, s.upsert(), values, this::bindRow);
                return;
            }
            flush();
            writeUpsert(t, values, key, local, s);
        } catch (SQLException e) {
            throw local("applying a downloaded row of " + t.name(), e);
        }
    }

    private void writeUpsert(TableDef t, Object[] values, Object[] key, PendingRows.Local local, Statements s) throws SQLException {
        if (local != null && !local.isDeleteBlocked() && !local.isRefusedDelete(pending.rowPresent(c, t, key))) {
            keepLocal(t, key, local.state());
            return;
        }
        skipped.clear(c, t, key);
        DownloadCycles.Opened opened = cycles.closes(t) ? cycles.open(t, values) : null;
        bindRow(s.upsert(), t, opened == null ? values : opened.write());
        Savepoint sp = recheck ? c.setSavepoint() : null;
        try {
            s.upsert().executeUpdate();
        } catch (SQLException e) {
            refused(sp, e, () -> blocks.record(c, t, key, "the server's version of this row was not applied here: " + e.getMessage()
                    + "; it is asked for again at every sync until it applies"), t);
            return;
        }
        if (undoneForLocalChange(sp, s, t, key, local)) {
            return;
        }
        if (opened != null) {
            cycles.written(t, opened);
        }
        if (local != null && local.isDeleteBlocked()) {
            forget(t, key);
        }
        blocks.clear(c, t, key);
        count(t);
    }

    /**
     * Deletes a row the server deleted, unless the remote holds a change of its own to it. A delete the
     * remote's foreign keys refuse keeps the row as {@code ROW_DELETE_BLOCKED}; such a row is tried
     * again each time the server confirms the delete, and goes once nothing references it.
     */
    void delete(TableDef t, Object[] key) {
        try {
            if (cycles.closing()) {
                // Deletes follow every upsert: the rows written NULL-first are completed now, before a delete could need them gone.
                flush();
                cycles.close(refusals);
            }
            Statements s = statements(t);
            PendingRows.Local local = local(s, t, key);
            if (local == null && batch != null) {
                batch.add(t, false, s.delete(), key, this::bindKey);
                return;
            }
            flush();
            writeDelete(t, key, local, s);
        } catch (SQLException e) {
            throw local("applying a downloaded delete of " + t.name(), e);
        }
    }

    private void writeDelete(TableDef t, Object[] key, PendingRows.Local local, Statements s) throws SQLException {
        if (local != null && local.isRefusedDelete(pending.rowPresent(c, t, key))) {
            // Refused here, deleted there since: both sides lack the row again.
            forget(t, key);
            skipped.clear(c, t, key);
            return;
        }
        if (local != null && !local.isDeleteBlocked()) {
            keepLocal(t, key, local.state());
            return;
        }
        skipped.clear(c, t, key);
        bindKey(s.delete(), t, key);
        Savepoint sp = recheck ? c.setSavepoint() : null;
        int deleted;
        try {
            deleted = s.delete().executeUpdate();
        } catch (SQLException e) {
            if (local == null && dialect.classify(e).kind() == SqlFailure.Kind.ROW && cycles.defer(t, key)) {
                // The rows of a cycle can only go together: tried again at the end of the download (DownloadCycles.retryDeletes).
                if (sp != null) {
                    c.rollback(sp);
                }
                return;
            }
            refused(sp, e, () -> {
                if (local == null) {
                    pending.markDeleteBlocked(c, t, key, "the server deleted this row, but local rows still reference it;"
                            + " it was kept: delete or fix the referencing rows, then delete it");
                    if (entries != null) {
                        entries.put(t, key, new PendingRows.Local("error", ErrorCode.ROW_DELETE_BLOCKED.name(), false));
                    }
                }
            }, t);
            return;
        }
        if (undoneForLocalChange(sp, s, t, key, local)) {
            return;
        }
        if (local != null) {
            forget(t, key);
        }
        blocks.clear(c, t, key);
        if (deleted > 0) {
            count(t);
        }
    }

    /** What happens to a row on a cycle that {@link DownloadCycles} gives up on: what happens to any row the remote refuses. */
    private final DownloadCycles.Refusals refusals = new DownloadCycles.Refusals() {
        @Override
        public void blocked(TableDef t, Object[] key, String message) throws SQLException {
            blocks.record(c, t, key, message);
            counts.computeIfPresent(t.name(), (k, v) -> v.plusErrors(1));
        }

        @Override
        public void deleteRefused(TableDef t, Object[] key) throws SQLException {
            pending.markDeleteBlocked(c, t, key, "the server deleted this row, but local rows still reference it;"
                    + " it was kept: delete or fix the referencing rows, then delete it");
            if (entries != null) {
                entries.put(t, key, new PendingRows.Local("error", ErrorCode.ROW_DELETE_BLOCKED.name(), false));
            }
            counts.computeIfPresent(t.name(), (k, v) -> v.plusErrors(1));
        }

        @Override
        public void deleted(TableDef t, Object[] key) throws SQLException {
            blocks.clear(c, t, key);
            count(t);
        }
    };

    /** A batched write of a row without a local entry went through: what {@link #writeUpsert} or {@link #writeDelete} does after its write. */
    private final class Batched implements DownloadBatch.Rows {
        @Override
        public void applied(TableDef t, Object[] row, boolean upsert, int updateCount) throws SQLException {
            Object[] key = upsert ? t.keyOf(row) : row;
            skipped.clear(c, t, key);
            blocks.clear(c, t, key);
            if (upsert || updateCount != 0) {
                count(t);
            }
        }

        /**
         * Asks for the row's entry again: it had none when batched, but a download can carry a key twice
         * (a delete since the last download, and the same key asked for again and gone on the server), and
         * the replay of an earlier occurrence may have written one (a blocked delete).
         */
        @Override
        public void replay(TableDef t, Object[] row, boolean upsert) throws SQLException {
            Statements s = statements(t);
            Object[] key = upsert ? t.keyOf(row) : row;
            PendingRows.Local local = local(s, t, key);
            if (upsert) {
                writeUpsert(t, row, key, local, s);
            } else {
                writeDelete(t, row, local, s);
            }
        }
    }

    private void bindRow(PreparedStatement ps, TableDef t, Object[] values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            dialect.bind(ps, i + 1, t.columns().get(i), values[i]);
        }
    }

    private void bindKey(PreparedStatement ps, TableDef t, Object[] key) throws SQLException {
        for (int i = 0; i < key.length; i++) {
            dialect.bind(ps, i + 1, t.keyColumns().get(i), key[i]);
        }
    }

    /** What {@code ferry_pending} holds for the row: from memory when batching, else asked (the answer may change meanwhile). */
    private PendingRows.Local local(Statements s, TableDef t, Object[] key) throws SQLException {
        return entries != null ? entries.get(t, key) : pending.local(s.lookup(), t, key);
    }

    private void forget(TableDef t, Object[] key) throws SQLException {
        pending.forget(c, t, key);
        if (entries != null) {
            entries.forgot(t, key);
        }
    }

    private void flush() throws SQLException {
        if (batch != null) {
            batch.flush();
        }
    }

    /** Something to record about a refused row, in the download's transaction. */
    @FunctionalInterface
    private interface Refusal {
        void record() throws SQLException;
    }

    /**
     * A downloaded write failed. A failure caused by the row's data (a constraint of the remote's) is
     * that row's alone: the statement is undone (SQLite and H2 roll back only the failing statement;
     * the savepoint covers the rest), the refusal is recorded and the download goes on. Anything else
     * fails the download, which then rolls back whole.
     */
    private void refused(Savepoint sp, SQLException e, Refusal refusal, TableDef t) throws SQLException {
        if (sp != null) {
            c.rollback(sp);
        }
        if (dialect.classify(e).kind() != SqlFailure.Kind.ROW) {
            throw e;
        }
        refusal.record();
        counts.computeIfPresent(t.name(), (k, v) -> v.plusErrors(1));
    }

    /** Records the new download position and time, and commits the download with them. */
    void commit(long position, String downloadTime) {
        try {
            begin();
            flush();
            cycles.close(refusals);
            cycles.retryDeletes(refusals);
            RemoteState.update(c, "last_download = ?, last_download_time = ?, applying = 0", position, downloadTime);
            // Durable before the server is told the position (the acknowledgement) or a file is reported applied.
            dialect.commitDurably(c);
            open = false;
        } catch (SQLException e) {
            throw local("committing the download", e);
        } finally {
            closeStatements();
        }
    }

    /** Rolls back a download that did not complete; the remote stays exactly as before it. */
    void abort() {
        if (batch != null) {
            batch.discard();
        }
        closeStatements();
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is already unusable; the transaction is gone either way
        }
        open = false;
    }

    /**
     * After a write under {@code sp} (null: the dialect needs no second look): if a local change to the
     * row was committed meanwhile (its {@code ferry_pending} entry is not what it was before the
     * write), rolls the write back so the local version stands, and reports it.
     */
    private boolean undoneForLocalChange(Savepoint sp, Statements s, TableDef t, Object[] key, PendingRows.Local before) throws SQLException {
        if (sp == null) {
            return false;
        }
        PendingRows.Local now = pending.local(s.lookup(), t, key);
        if (java.util.Objects.equals(now, before)) {
            c.releaseSavepoint(sp);
            return false;
        }
        c.rollback(sp);
        keepLocal(t, key, now == null ? "synced" : now.state());
        return true;
    }

    /** The local version stands over the server's; recorded so that the server's version is not lost if the local entry goes unsent. */
    private void keepLocal(TableDef t, Object[] key, String state) throws SQLException {
        rule.met(t, key, state);
        skipped.record(c, t, key);
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

    private FerryException local(String doing, SQLException e) {
        return new FerryException(ErrorCode.DATABASE_ERROR, doing + " on remote " + remoteId + " failed: " + e.getMessage(), null, e);
    }
}
